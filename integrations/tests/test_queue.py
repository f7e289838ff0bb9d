"""The task queue's broker, for real: the database by default, Redis when configured."""

import uuid

import pytest
from django.conf import settings
from django_q.brokers import get_broker
from django_q.signing import SignedPackage


def round_trip(broker) -> None:
    payload = SignedPackage.dumps({"id": uuid.uuid4().hex, "func": "orders.tasks.run_import_job"})
    broker.enqueue(payload)
    received = broker.dequeue()
    assert received, "the broker gave nothing back"
    ack_id, body = received[0]
    assert SignedPackage.loads(body) == SignedPackage.loads(payload)
    if ack_id is not None:
        broker.acknowledge(ack_id)
    assert broker.queue_size() == 0


@pytest.mark.django_db
def test_default_broker_round_trips_a_task():
    broker = get_broker(f"test-{uuid.uuid4().hex[:8]}")
    try:
        round_trip(broker)
    finally:
        broker.delete_queue()


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set (CI sets it for the PostgreSQL run)")
def test_redis_broker_round_trips_a_task():
    assert "redis" in settings.Q_CLUSTER
    broker = get_broker(f"test-{uuid.uuid4().hex[:8]}")
    assert broker.ping()
    try:
        round_trip(broker)
    finally:
        broker.delete_queue()


def test_one_delivery_task_sends_every_message_even_when_one_fails(monkeypatch):
    from integrations import tasks
    from integrations.services import outbox

    sent = []

    def deliver(*, message_id):
        if message_id == 1:
            raise RuntimeError("adapter bug")
        sent.append(message_id)

    monkeypatch.setattr(outbox, "outbox_deliver", deliver)
    with pytest.raises(RuntimeError, match="adapter bug"):
        tasks.deliver_outbox_messages([1, 2])
    assert sent == [2]  # the confirmation went out although the ERP message failed
