"""Order mailbox poller (IMAP): every new message becomes an inbound document.

Settings come from the environment (see orderdesk.settings): IMAP_HOST,
IMAP_PORT, IMAP_USER, IMAP_PASSWORD, IMAP_FOLDER, IMAP_SSL. The poller is a
scheduled task; without IMAP_HOST it does nothing.

Store first, flag after: a message is marked \\Seen only once its bytes are
committed as an inbound document. A crash in between re-fetches it next
time, and the idempotency key (folder, UIDVALIDITY, UID) returns the stored
document instead of storing a second one.
"""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass

from django.conf import settings

from orders.errors import DocumentTooLarge
from orders.models import InboundDocument
from orders.services.intake import document_receive, document_refuse

logger = logging.getLogger(__name__)

#: Messages taken per poll, so one run cannot hold a worker for long.
BATCH = 50


class MailboxError(RuntimeError):
    """The mailbox could not be read; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str
    ssl: bool

    @classmethod
    def from_settings(cls) -> MailboxConfig | None:
        if not settings.IMAP_HOST:
            return None
        return cls(host=settings.IMAP_HOST, port=settings.IMAP_PORT, user=settings.IMAP_USER,
                   password=settings.IMAP_PASSWORD, folder=settings.IMAP_FOLDER,
                   ssl=settings.IMAP_SSL)


def mailbox_poll(config: MailboxConfig | None = None) -> int:
    """Store every unseen message of the folder; returns how many were new."""
    config = config or MailboxConfig.from_settings()
    if config is None:
        return 0
    client = _connect(config)
    try:
        validity = _select(client, config.folder)
        stored = sum(_take(client, config, validity, uid) for uid in _unseen(client)[:BATCH])
    finally:
        _logout(client)
    return stored


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    factory = imaplib.IMAP4_SSL if config.ssl else imaplib.IMAP4
    try:
        client = factory(config.host, config.port, timeout=30)
        client.login(config.user, config.password)
    except imaplib.IMAP4.error as exc:
        raise MailboxError(f"IMAP login to {config.host} refused: {exc}", permanent=True) from exc
    except OSError as exc:
        raise MailboxError(f"IMAP server {config.host}:{config.port} unreachable: {exc}",
                           permanent=False) from exc
    return client


def _select(client: imaplib.IMAP4, folder: str) -> str:
    status, _ = client.select(folder)
    if status != "OK":
        raise MailboxError(f"IMAP folder {folder!r} cannot be opened", permanent=True)
    _, data = client.response("UIDVALIDITY")
    return (data[0].decode() if data and data[0] else "0")


def _unseen(client: imaplib.IMAP4) -> list[bytes]:
    status, data = client.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise MailboxError("IMAP search for unseen messages failed", permanent=False)
    return data[0].split() if data and data[0] else []


def _take(client: imaplib.IMAP4, config: MailboxConfig, validity: str, uid: bytes) -> int:
    key = f"imap:{config.user}@{config.host}/{config.folder}:{validity}:{uid.decode()}"
    source = f"imap/{config.folder}/{uid.decode()}.eml"
    size = _size(client, uid)
    if size is not None and size > settings.ORDERDESK_MAX_DOCUMENT_BYTES:
        # Never fetched: the refusal is stored (under the same key, so a crash
        # before the flag does not record it twice) and the message flagged.
        document_refuse(source=source, size=size, channel=InboundDocument.Channel.EMAIL,
                        idempotency_key=key)
        client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
        return 0
    # BODY.PEEK leaves the message unseen until it is safely stored.
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((part[1] for part in data or [] if isinstance(part, tuple)), None)
    if status != "OK" or raw is None:
        logger.warning("IMAP message %s could not be fetched; it stays unseen", uid)
        return 0
    try:
        _, created = document_receive(data=raw, source=source, filename=f"{uid.decode()}.eml",
                                      channel=InboundDocument.Channel.EMAIL, idempotency_key=key)
    except DocumentTooLarge:  # the server did not say its size, or said too little
        document_refuse(source=source, size=len(raw), channel=InboundDocument.Channel.EMAIL,
                        idempotency_key=key)
        created = False
    client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    return 1 if created else 0


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)", re.IGNORECASE)


def _size(client: imaplib.IMAP4, uid: bytes) -> int | None:
    """The message's size as the server states it (RFC822.SIZE), None if unsaid."""
    status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    if status != "OK":
        return None
    for part in data or []:
        found = _SIZE.search(part[0] if isinstance(part, tuple) else part or b"")
        if found:
            return int(found.group(1))
    return None


def _logout(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        logger.info("IMAP logout failed; the connection is dropped")
