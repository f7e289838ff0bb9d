"""Queue entry points of the integrations: thin, safe to run twice."""

from integrations.mailbox import mailbox_poll


def poll_mailbox() -> int:
    return mailbox_poll()
