"""The IMAP poller stores first and flags after, and never stores a message twice."""

import imaplib

import pytest

from integrations import mailbox
from orders.models import InboundDocument

pytestmark = pytest.mark.django_db

MESSAGE = b"From: buyer@acme.example\r\nSubject: PO 1\r\nMessage-ID: <m1@acme>\r\n\r\n10 x SKU-1\r\n"
CONFIG = mailbox.MailboxConfig(host="imap.example", port=993, user="orders", password="x",
                               folder="INBOX", ssl=True)


class FakeIMAP:
    """Just enough of an IMAP server: UIDs, BODY.PEEK, \\Seen flags."""

    messages: dict[bytes, bytes] = {}
    seen: set[bytes] = set()
    fetched: list[bytes] = []
    fail_store = False

    def __init__(self, host, port, timeout=None):
        self.host = host

    def login(self, user, password):
        if password == "wrong":
            raise imaplib.IMAP4.error("authentication failed")

    def select(self, folder):
        return "OK", [b"1"]

    def response(self, code):
        return code, [b"42"]

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b" ".join(u for u in self.messages if u not in self.seen)]
        if command == "FETCH" and args[1] == "(RFC822.SIZE)":
            return "OK", [b"1 (UID %s RFC822.SIZE %d)" % (args[0], len(self.messages[args[0]]))]
        if command == "FETCH":
            self.fetched.append(args[0])
            return "OK", [(b"1 (BODY[] {%d}" % len(self.messages[args[0]]), self.messages[args[0]])]
        if command == "STORE":
            if self.fail_store:
                raise OSError("connection reset")
            self.seen.add(args[0])
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        return "BYE", []


@pytest.fixture
def server(monkeypatch):
    FakeIMAP.messages = {b"7": MESSAGE, b"8": MESSAGE.replace(b"m1@", b"m2@")}
    FakeIMAP.seen = set()
    FakeIMAP.fetched = []
    FakeIMAP.fail_store = False
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    monkeypatch.setattr("orders.services.intake._enqueue", lambda pk: None)
    return FakeIMAP


def test_new_messages_are_stored_then_flagged(server):
    assert mailbox.mailbox_poll(CONFIG) == 2
    assert server.seen == {b"7", b"8"}
    documents = list(InboundDocument.objects.order_by("pk"))
    assert [d.channel for d in documents] == ["email", "email"]
    assert bytes(documents[0].raw) == MESSAGE
    assert mailbox.mailbox_poll(CONFIG) == 0


def test_a_crash_before_flagging_never_stores_twice(server):
    server.fail_store = True
    with pytest.raises(OSError):
        mailbox.mailbox_poll(CONFIG)
    server.fail_store = False
    assert mailbox.mailbox_poll(CONFIG) == 1  # message 8; message 7 was already stored
    assert InboundDocument.objects.count() == 2


def test_a_refused_login_is_a_permanent_error(server):
    bad = mailbox.MailboxConfig(**{**CONFIG.__dict__, "password": "wrong"})
    with pytest.raises(mailbox.MailboxError) as info:
        mailbox.mailbox_poll(bad)
    assert info.value.permanent


def test_without_a_host_the_poller_does_nothing(settings):
    settings.IMAP_HOST = ""
    assert mailbox.mailbox_poll() == 0


def test_an_oversize_message_is_refused_by_its_stated_size_never_fetched(server, settings):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = len(MESSAGE) + 10
    server.messages[b"9"] = MESSAGE + b"x" * 100
    assert mailbox.mailbox_poll(CONFIG) == 2
    assert b"9" not in server.fetched
    assert server.seen == {b"7", b"8", b"9"}
    refused = InboundDocument.objects.get(source="imap/INBOX/9.eml")
    assert (bytes(refused.raw), refused.size) == (b"", len(MESSAGE) + 100)
    assert refused.orders.get().causes[0]["code"] == "UNREADABLE_DOCUMENT"
    server.seen.discard(b"9")  # flagging was lost: polled again, recorded once
    mailbox.mailbox_poll(CONFIG)
    assert InboundDocument.objects.filter(source="imap/INBOX/9.eml").count() == 1
