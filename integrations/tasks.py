"""Queue entry points of the integrations: thin, safe to run twice."""

from integrations.mailbox import mailbox_poll


def poll_mailbox() -> int:
    return mailbox_poll()


def deliver_outbox(message_id: int) -> None:
    from integrations.services.outbox import outbox_deliver

    outbox_deliver(message_id=message_id)


def sweep_outbox() -> int:
    from integrations.services.outbox import outbox_sweep

    return outbox_sweep()
