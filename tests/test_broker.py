"""orderdesk.broker: the embedded queue claims its tasks in one transaction."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from orderdesk.broker import OrmBroker


@pytest.fixture
def broker(monkeypatch):
    monkeypatch.setattr(Conf, "ORM", "default")  # also where REDIS_URL chose Redis
    monkeypatch.setattr(Conf, "BULK", 2)
    monkeypatch.setattr(Conf, "POLL", 0.01)
    return OrmBroker(list_key="orderdesk-test")


def _writes(queries) -> list[str]:
    return [q["sql"].split()[0].upper() for q in queries
            if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "BEGIN")]


@pytest.mark.django_db
def test_tasks_are_claimed_oldest_first_up_to_bulk_and_not_handed_out_again(broker):
    ids = [broker.enqueue(f"task-{n}") for n in range(3)]
    assert broker.dequeue() == [(ids[0], "task-0"), (ids[1], "task-1")]
    assert broker.dequeue() == [(ids[2], "task-2")]
    assert broker.dequeue() is None  # all claimed: locked until the retry time
    assert broker.lock_size() == 3 and broker.queue_size() == 0
    broker.acknowledge(ids[0])
    assert OrmQ.objects.filter(key="orderdesk-test").count() == 2


@pytest.mark.django_db
def test_a_task_queued_through_django_q_comes_out_signed_and_whole(broker):
    task_id = async_task("orders.tasks.process_document", 42, task_name="document-42", broker=broker)
    [(ack_id, payload)] = broker.dequeue()
    task = SignedPackage.loads(payload)
    assert (task["id"], task["func"], task["args"]) == (task_id, "orders.tasks.process_document", (42,))
    broker.acknowledge(ack_id)
    assert not OrmQ.objects.filter(pk=ack_id).exists()


@pytest.mark.django_db
def test_an_idle_poll_writes_nothing(broker):
    with CaptureQueriesContext(connection) as captured:
        assert broker.dequeue() is None
    assert _writes(captured.captured_queries) == []


@pytest.mark.django_db
def test_the_claim_is_one_write_transaction(broker):
    for n in range(2):
        broker.enqueue(f"task-{n}")
    with CaptureQueriesContext(connection) as captured:
        broker.dequeue()
    writes = _writes(captured.captured_queries)
    assert writes.count("UPDATE") == 1
    assert writes.count("BEGIN") <= 1  # SQLite's explicit BEGIN; PostgreSQL logs none


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_task_another_cluster_is_claiming_is_skipped_not_waited_for(broker):
    first, second = broker.enqueue("task-0"), broker.enqueue("task-1")
    locked, release = threading.Event(), threading.Event()

    def other_cluster():
        with transaction.atomic():
            list(OrmQ.objects.select_for_update().filter(pk=first))
            locked.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_cluster)
    thread.start()
    try:
        assert locked.wait(30)
        assert broker.dequeue() == [(second, "task-1")]
    finally:
        release.set()
        thread.join(30)
