"""Queue entry points of the integrations: thin, safe to run twice."""

from integrations.mailbox import mailbox_poll


def poll_mailbox() -> int:
    return mailbox_poll()


def deliver_outbox(message_id: int) -> None:
    from integrations.services.outbox import outbox_deliver

    outbox_deliver(message_id=message_id)


def deliver_outbox_messages(message_ids: list[int]) -> None:
    """One queue hop for several messages (an execution's own worker sends
    them with outbox_deliver_all instead). Each message is claimed on its own,
    so a redelivered task sends nothing twice; one that fails does not hold
    back the others."""
    from integrations.services.outbox import outbox_deliver

    failed = None
    for message_id in message_ids:
        try:
            outbox_deliver(message_id=message_id)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the rest went out
            failed = failed or exc
    if failed is not None:
        raise failed


def sweep_outbox() -> int:
    from integrations.services.outbox import outbox_sweep

    return outbox_sweep()
