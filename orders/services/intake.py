"""Intake: store every document first, then read it into resolved orders.

``document_receive`` writes the raw bytes (and nothing else) in its own
transaction, so a document is never lost to a parser crash. ``document_process``
is the queue task's body: it claims the document, reads it, and writes all
its orders in one transaction, so a worker killed half-way leaves the document
"processing" for the sweeper to hand out again, and never half its orders.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from datetime import date, timedelta
from decimal import Decimal
from email.parser import BytesHeaderParser
from enum import Enum
from functools import cache

from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import Q
from django.utils import timezone

from integrations.parsers import read_document
from integrations.parsers.draft import OrderDraft, ParseError, ParseResult
from integrations.parsers.freetext import unexplained_in
from integrations.parsers.limits import Budget
from orders.errors import DocumentTooLarge, IdempotencyKeyReused
from orders.models import InboundDocument, Order, OrderLine
from orders.selectors import system_user
from orders.services.history import history_create, history_update_if
from orders.services.resolution import Resolution, resolve_order
from orders.services.sender_auth import dkim_verdicts
from rules.causes import Cause, causes_bounded

logger = logging.getLogger(__name__)

#: Runs of one document before the sweeper stops retrying and rejects it.
MAX_ATTEMPTS = 3

TRANSITIONS = {
    InboundDocument.State.RECEIVED: {InboundDocument.State.PROCESSING},
    InboundDocument.State.PROCESSING: {InboundDocument.State.PROCESSED,
                                       InboundDocument.State.RECEIVED},
}


def document_receive(
    *, data: bytes, source: str, channel: str, filename: str = "", sender: str = "",
    idempotency_key: str = "", submitted_by=None, enqueue: bool = True,
) -> tuple[InboundDocument, bool]:
    """Store a document; returns (document, created).

    A repeated idempotency key of the same submitter returns its first
    document untouched; with another body it raises IdempotencyKeyReused. The
    same bytes sent again are stored again (they were received again) and
    their orders come out as duplicates. DocumentTooLarge above the accepted
    size: the caller records the refusal (``document_refuse``).
    """
    if len(data) > settings.ORDERDESK_MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(size_refusal(len(data)))
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _earlier_with_key(channel, idempotency_key, submitted_by, sha256)
    if earlier is not None:
        return earlier, False
    actor = system_user()  # read before the write transaction, not while holding it
    document = InboundDocument(
        source=source, filename=filename or source.rsplit("/", 1)[-1], channel=channel,
        raw=data, sha256=sha256, size=len(data), sender=sender.strip().lower(),
        message_id=_message_id(data), idempotency_key=idempotency_key, submitted_by=submitted_by,
    )
    try:
        with transaction.atomic():
            history_create([document], user=actor)
            if enqueue:
                _enqueue_with_commit(document.pk)
    except IntegrityError:
        # The same key raced in from a second request: its document stands.
        earlier = _earlier_with_key(channel, idempotency_key, submitted_by, sha256)
        if earlier is None:
            raise
        return earlier, False
    return document, True


def _earlier_with_key(channel: str, key: str, submitted_by, sha256: str) -> InboundDocument | None:
    """The document stored under this submitter's key (keys are per user: one
    user's key never reaches another's document), if the body is the same."""
    if not key:
        return None
    earlier = (InboundDocument.objects.defer("raw")
               .filter(channel=channel, idempotency_key=key, submitted_by=submitted_by).first())
    if earlier is not None and earlier.sha256 != sha256:
        raise IdempotencyKeyReused(f"the Idempotency-Key {key!r} was used with another body "
                                   f"(document {earlier.pk}); use a new key for a new request")
    return earlier


def size_refusal(size: int) -> str:
    limit = settings.ORDERDESK_MAX_DOCUMENT_BYTES
    return (f"document of {size} bytes exceeds the size limit of {limit} bytes "
            "(ORDERDESK_MAX_DOCUMENT_BYTES); it was refused unread")


def document_refuse(*, source: str, channel: str, size: int, filename: str = "",
                    sender: str = "", idempotency_key: str = "",
                    submitted_by=None) -> InboundDocument:
    """Record an input refused for its size before it was read: a processed
    document without its bytes and one rejected order (UNREADABLE_DOCUMENT
    naming the limit), so the refusal shows in the outcomes like any
    unreadable file."""
    message = size_refusal(size)
    earlier = _earlier_with_key(channel, idempotency_key, submitted_by, "")
    if earlier is not None:
        return earlier
    actor = system_user()
    with transaction.atomic():
        # No sha256: nothing was read, and an empty hash is never the copy of a document.
        document = InboundDocument(
            source=source, filename=filename or source.rsplit("/", 1)[-1], channel=channel,
            raw=b"", sha256="", size=size, sender=sender.strip().lower(),
            idempotency_key=idempotency_key, submitted_by=submitted_by,
            status=InboundDocument.State.PROCESSED, processed_at=timezone.now(), error=message,
        )
        history_create([document], user=actor)
        _reject(document, Cause.UNREADABLE_DOCUMENT, message, actor=actor)
    return document


def _message_id(data: bytes) -> str:
    head = data[:65536]
    if not head.lstrip().lower().startswith((b"from", b"received", b"return-path", b"message-id",
                                             b"date", b"to", b"subject", b"mime", b"delivered")):
        return ""
    try:
        headers = BytesHeaderParser().parsebytes(head)
    except Exception:  # noqa: BLE001 - a header we cannot parse just has no id
        return ""
    try:
        # Unfolded: a folded or CR/LF-laden id once stuck the reply that threads with it.
        return " ".join(str(headers.get("Message-ID", "")).split())[:998]
    except Exception:  # noqa: BLE001 - an id the header registry cannot parse is no id
        return ""


def _enqueue_with_commit(document_id: int) -> None:
    """Queue the document's task so that no worker can see it before the
    document is committed."""
    if settings.Q_CLUSTER.get("orm") == router.db_for_write(InboundDocument):
        # The queue is a table of this same database: the task row commits
        # with the document or not at all (no task lost between the commit and
        # the enqueue), and SQLite is spared a write transaction of its own.
        _enqueue(document_id)
    else:
        transaction.on_commit(lambda: _enqueue(document_id))


def _enqueue(document_id: int) -> None:
    from django_q.tasks import async_task

    async_task("orders.tasks.process_document", document_id,
               task_name=f"document-{document_id}")


# --- Processing --------------------------------------------------------------------


def document_process(*, document_id: int) -> InboundDocument | None:
    """Read one document into orders. Safe to run twice: a second run finds
    the document claimed or processed and does nothing."""
    # One look-up of the user history names, for every write of this run.
    actor = system_user()
    document = _transition(document_id, InboundDocument.State.RECEIVED,
                           InboundDocument.State.PROCESSING, actor=actor, with_bytes=True)
    if document is None:
        # Redelivered after a worker died between storing the orders and
        # deciding them: decide what is left now (order_decide skips decided
        # orders) rather than waiting for the sweeper.
        document = InboundDocument.objects.defer("raw").get(pk=document_id)
        if document.status == InboundDocument.State.PROCESSED:
            _decide_orders(document, actor=actor)
        return None
    fmt, result, error, unread = _read(document)
    # Reading the orders and resolving them only reads master data, so it
    # runs before the transaction: SQLite takes its one write lock at BEGIN,
    # and every other writer (the other workers, the queue) waits while that
    # lock is held. Under it, only earlier orders are asked about.
    try:
        reads = [] if error or result.not_an_order else [
            order_read(document=document, position=position, draft=draft, fmt=fmt)
            for position, draft in enumerate(result.orders)]
    except MemoryError:
        # Rejected now rather than left "processing" for the sweeper: every retry
        # would run out of memory alike.
        logger.exception("resolving the orders of document %s ran out of memory", document.pk)
        reads, error = [], "the worker ran out of memory resolving the document's orders"
    created: list[tuple[Order, list[OrderLine]]] = []
    with transaction.atomic():
        # One conditional update checks that this run's claim still holds and
        # marks the document processed; it is also what locks the document
        # (first, as every transaction here does) until its orders are stored.
        claimed = {"status": document.status, "attempts": document.attempts}
        document.status = InboundDocument.State.PROCESSED
        document.processed_at = timezone.now()
        document.error = error
        if not history_update_if(document, ["status", "processed_at", "error"],
                                 expected=claimed, user=actor):
            # The sweeper re-queued it meanwhile (another attempt): that run owns it.
            return None
        if error:
            _reject(document, Cause.UNREADABLE_DOCUMENT, error, actor=actor)
        elif result.not_an_order or not result.orders:
            _reject(document, Cause.NOT_AN_ORDER, result.not_an_order or "no order found",
                    actor=actor)
        else:
            copies = _orders_of_earlier_copy(document)
            created = [order_create(read=read, copy_of=copies.get(position), actor=actor)
                       for position, read in enumerate(reads)]
            if unread:
                _reject(document, Cause.UNREADABLE_DOCUMENT, unread, actor=actor,
                        position=len(reads))
    _decide_orders(document, actor=actor, orders=created)
    return document


def _decide_orders(document: InboundDocument, *, actor,
                   orders: list[tuple[Order, list[OrderLine]]] | None = None) -> None:
    """Hand every order read (``orders``: those just stored, as stored, with their lines; else
    every undecided order of the document) to the boundary, each in its own
    transaction.

    Runs after the intake transaction committed: the orders are safely
    stored whatever a decision does. The sweeper decides any order a crash
    left undecided.
    """
    from orders.services.execution import order_decide, order_decide_stored

    if orders is None:
        for order_id in document.orders.filter(status=Order.State.RECEIVED).values_list(
                "pk", flat=True):
            order_decide(order_id=order_id, history_user=actor)
        return
    for order, lines in orders:
        order_decide_stored(order=order, lines=lines, history_user=actor)


def _read(document: InboundDocument) -> tuple[str, ParseResult | None, str, str]:
    """(format, result, error, what the budget left unread) of a document, read in a
    limited child under the desk's budget (settings DOCUMENT_*)."""
    try:
        read = read_document(bytes(document.raw), name=document.filename, budget=document_budget())
    except ParseError as exc:
        return "", None, str(exc) or "unreadable", ""
    except Exception as exc:  # a bug of ours must not lose the document
        logger.exception("reading document %s failed", document.pk)
        return "", None, f"internal error while reading: {type(exc).__name__}: {exc}", ""
    return read.fmt, read.result, "", _unread_orders(len(read.result.orders), read.orders_found)


def document_budget() -> Budget:
    return Budget(seconds=settings.DOCUMENT_READ_SECONDS, memory_mb=settings.DOCUMENT_READ_MEMORY_MB,
                  part_seconds=settings.DOCUMENT_ATTACHMENT_SECONDS,
                  attachments=settings.DOCUMENT_MAX_ATTACHMENTS, orders=settings.DOCUMENT_MAX_ORDERS)


def _unread_orders(read: int, found: int) -> str:
    """The cause of the orders past the budget: one rejected order names them, so none is
    dropped without a person seeing it."""
    if found <= read:
        return ""
    return (f"orders {read + 1:,} to {found:,} of the document were not read: at most {read:,} "
            "orders are read from one document (DOCUMENT_MAX_ORDERS); send them in another document")


def _transition(document_id: int, old: str, new: str, *, actor=None,
                with_bytes: bool = False) -> InboundDocument | None:
    """Move a document from ``old`` to ``new``; None if it is not ``old`` (any
    more): a redelivered task or the sweeper got there first.

    A conditional update claims it, so the row is read before the write
    transaction, not under it: ``with_bytes`` reads the raw document too, for
    the reader that comes next (a PDF may be megabytes, never read under the
    lock). Status and attempts tell every version of a document apart (each
    claim counts an attempt; processed is final), so the history row written
    from what was read is the row as it now is.
    """
    if new not in TRANSITIONS.get(old, set()):
        return None
    documents = InboundDocument.objects if with_bytes else InboundDocument.objects.defer("raw")
    document = documents.get(pk=document_id)
    if document.status != old:
        return None
    expected = {"status": old, "attempts": document.attempts}
    document.status = new
    if new == InboundDocument.State.PROCESSING:
        document.attempts += 1
        document.started_at = timezone.now()
    actor = actor or system_user()
    with transaction.atomic():
        if not history_update_if(document, ["status", "attempts", "started_at"],
                                 expected=expected, user=actor):
            return None
    return document


def _reject(document: InboundDocument, cause: str, message: str, *, actor=None,
            position: int = 0) -> Order:
    order = Order(document=document, position=position, source=document.source,
                  status=Order.State.REJECTED,
                  causes=[{"code": cause, "message": message, "evidence": "", "line": None}])
    history_create([order], user=actor or system_user())
    return order


def documents_sweep(*, now=None) -> int:
    """Re-queue documents whose task was lost; reject those that never finish."""
    now = now or timezone.now()
    count = 0
    lost = InboundDocument.objects.filter(status=InboundDocument.State.RECEIVED,
                                          received_at__lt=now - timedelta(minutes=2))
    for document_id in lost.values_list("pk", flat=True):
        _enqueue(document_id)
        count += 1
    stuck = InboundDocument.objects.filter(
        status=InboundDocument.State.PROCESSING,
        started_at__lt=now - timedelta(seconds=settings.Q_CLUSTER["retry"]),
    )
    for document in stuck:
        count += _retry_or_give_up(document)
    return count + _decide_leftovers(now)


def _decide_leftovers(now) -> int:
    """Orders stored but never decided (a worker died between the two steps)."""
    from orders.services.execution import order_decide

    leftovers = Order.objects.filter(status=Order.State.RECEIVED,
                                     created_at__lt=now - timedelta(minutes=2))
    ids = list(leftovers.values_list("pk", flat=True))
    for order_id in ids:
        order_decide(order_id=order_id)
    return len(ids)


def _retry_or_give_up(document: InboundDocument) -> int:
    if document.attempts < MAX_ATTEMPTS:
        if _transition(document.pk, InboundDocument.State.PROCESSING,
                       InboundDocument.State.RECEIVED):
            _enqueue(document.pk)
            return 1
        return 0
    with transaction.atomic():
        document = InboundDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != InboundDocument.State.PROCESSING:
            return 0
        message = f"reading was interrupted {document.attempts} times (worker killed or timed out)"
        _reject(document, Cause.UNREADABLE_DOCUMENT, message)
        document.status = InboundDocument.State.PROCESSED
        document.processed_at = timezone.now()
        document.error = message
        document._history_user = system_user()
        document.save(update_fields=["status", "processed_at", "error"])
    return 0


# --- One order --------------------------------------------------------------------


def _orders_of_earlier_copy(document: InboundDocument) -> dict[int, Order]:
    """Orders of an earlier document with the same bytes or Message-ID, by position.

    The same message or file received again is a duplicate even when its
    orders could not be matched by customer and PO (e.g. no PO number).
    """
    same = Q(sha256=document.sha256)
    if document.message_id:
        same |= Q(message_id=document.message_id)
    # Only its key: the earlier document's bytes are not needed (and a PDF may
    # be megabytes, read while holding the write lock).
    earlier = (InboundDocument.objects.filter(same, pk__lt=document.pk,
                                              status=InboundDocument.State.PROCESSED)
               .order_by("pk").values_list("pk", flat=True).first())
    if earlier is None:
        return {}
    # Only their identity is needed, not the parsed drafts they carry.
    orders = Order.objects.filter(document_id=earlier).exclude(
        status=Order.State.REJECTED).select_related("related_order").defer(
        "draft", "related_order__draft")
    # A copy of a copy points at the original, not at the earlier duplicate.
    return {order.position: (order.related_order if order.status == Order.State.DUPLICATE
                             and order.related_order else order) for order in orders}


def _sender_of(document: InboundDocument) -> dict:
    """Who speaks for a document's orders. An API user orders as itself (its
    own e-mail address, or nobody): the sender its JSON names is text it typed.
    Files and e-mails keep the sender they name (CONTRACT §3)."""
    return {"sender": document.sender,
            "sender_named_in_document": document.channel != InboundDocument.Channel.API}


@dataclasses.dataclass
class OrderRead:
    """An order as read from its document and resolved, not yet stored: made
    before the write transaction, which then only asks about earlier orders
    and writes."""

    draft: OrderDraft
    order: Order
    lines: list[OrderLine]
    #: Intake's findings and unexplained text.
    causes: list[dict]


def order_read(*, document: InboundDocument, position: int, draft: OrderDraft,
               fmt: str) -> OrderRead:
    """One draft as an order with its lines, resolved, and intake's findings.
    Reads master data only; writes nothing."""
    resolution = resolve_order(draft, **_sender_of(document), verified=_verified(document, fmt))
    order = _order_from(document, position, draft, fmt, resolution)
    order.content_hash = content_hash(order, resolution)
    return OrderRead(draft, order, _lines_from(order, resolution),
                     [f.as_dict() for f in resolution.findings] + _free_text_causes(draft))


def order_create(*, read: OrderRead, copy_of: Order | None = None,
                 actor=None) -> tuple[Order, list[OrderLine]]:
    """Store an order as read, a duplicate or change of an earlier one when it
    is. Returns the order and its lines, each with its product, so that
    deciding it needs not read them again."""
    order, causes = read.order, list(read.causes)
    earlier = copy_of or _earlier_order(order)
    if copy_of is not None:
        order.related_order = copy_of
        order.status = Order.State.DUPLICATE
        causes = []
    elif read.draft.kind != "order":
        causes.append(_cause(Cause.ORDER_CHANGE, f"the document is an order {read.draft.kind} "
                             f"referring to PO {_value(read.draft.references_po) or order.po_number}"))
    elif earlier is not None and earlier.content_hash == order.content_hash:
        order.related_order = earlier
        order.status = Order.State.DUPLICATE
        causes = []
    elif earlier is not None:
        order.related_order = earlier
        causes.append(_cause(Cause.ORDER_CHANGE, f"PO {order.po_number} was received before "
                             f"(order #{earlier.pk}) with different content"))
    # Intake's causes wait on the order: the boundary adds its own checks and
    # routes the order with every cause (CONTRACT §5), so the status stays
    # "received" until order_decide.
    order.causes = causes_bounded(causes)
    actor = actor or system_user()
    history_create([order], user=actor)
    # The lines are written by whoever wrote the order.
    return order, history_create(read.lines, user=actor, reason="read from the document")


def order_draft_again(order: Order) -> OrderDraft | None:
    """Read the order's document again (parsers are pure: the same draft comes
    back). Outside any transaction: a PDF is read in a sandbox process."""
    _fmt, result, error, _unread = _read(order.document)
    if error or result is None or order.position >= len(result.orders):
        return None
    return result.orders[order.position]


#: Intake findings that master data decides, so a fix to it may clear them.
MASTER_DATA_FINDINGS = {Cause.UNKNOWN_CUSTOMER, Cause.AMBIGUOUS_CUSTOMER, Cause.UNAUTHORIZED_SENDER,
                        Cause.UNKNOWN_SHIPTO, Cause.UNKNOWN_PRODUCT, Cause.INVALID_UOM}


def order_reresolve(*, order: Order, draft: OrderDraft) -> list[dict]:
    """Resolve a locked order's draft again against today's master data:
    customer, ship-to and lines are rewritten (with history) and intake's
    findings returned. A change to an earlier order stays one."""
    resolution = resolve_order(draft, **_sender_of(order.document),
                               verified=_verified(order.document, order.format))
    order.customer, order.sender, order.shipto = (resolution.customer, resolution.sender,
                                                  resolution.shipto)
    order.content_hash = content_hash(order, resolution)
    actor = system_user()
    order._history_user = actor
    order._change_reason = "read again after a master-data change"
    order.save(update_fields=["customer", "sender", "shipto", "content_hash"])
    for line in order.lines.all():
        line._history_user = actor
        line._change_reason = "read again after a master-data change"
        line.delete()
    history_create(_lines_from(order, resolution), user=actor, reason="read from the document")
    kept = [cause for cause in order.causes if cause["code"] == Cause.ORDER_CHANGE]
    return [f.as_dict() for f in resolution.findings] + _free_text_causes(draft) + kept


def _verified(document: InboundDocument, fmt: str) -> tuple:
    """OrderDesk's own DKIM verdict of an e-mail document, where enabled."""
    if fmt != "email" or not settings.DKIM_VERIFY:
        return ()  # the raw bytes (deferred where an order is read again) stay unread
    return dkim_verdicts(raw=document.raw, sha256=document.sha256)


def _cause(code: str, message: str, evidence: str = "") -> dict:
    return {"code": code, "message": message, "evidence": evidence, "line": None}


def _value(read) -> str:
    return str(read.value).strip() if read is not None and read.value is not None else ""


def _order_from(document, position, draft: OrderDraft, fmt: str, resolution: Resolution) -> Order:
    address = draft.ship_to
    source = f"{document.source}#{draft.attachment}" if draft.attachment else document.source
    return Order(
        document=document, position=position, source=source, kind=str(draft.kind), format=fmt,
        po_number=_value(draft.po_number)[:100], order_date=_date(draft.order_date),
        requested_date=_date(draft.requested_date), currency=_value(draft.currency).upper()[:3],
        references_po=_value(draft.references_po)[:100],
        notes="\n".join(_value(note) for note in draft.notes),
        customer=resolution.customer, sender=resolution.sender, shipto=resolution.shipto,
        ship_to_name=_value(address.name)[:300], ship_to_street=_value(address.street)[:300],
        ship_to_city=_value(address.city)[:200],
        ship_to_postal_code=_value(address.postal_code)[:40],
        ship_to_country=_value(address.country).upper()[:2],
        draft=draft_as_json(draft),
    )


def _date(read) -> date | None:
    return read.value if read is not None and isinstance(read.value, date) else None


def _free_text_causes(draft: OrderDraft) -> list[dict]:
    """Unexplained sentences, and notes the free-text accounting cannot explain.

    Notes of structured documents (EDI MSG/NTE/FTX, UBL Note, a PDF's comments
    box) are read as sentences: greetings, framing and boilerplate pass,
    anything that may ask for something routes to a person.
    """
    texts = [(e.text, e.text) for e in draft.unexplained]
    for note in draft.notes:
        evidence = note.evidence.text if note.evidence else _value(note)
        texts += [(sentence, evidence) for sentence in unexplained_in(_value(note))]
    return [_cause(Cause.FREE_TEXT_INSTRUCTION, f"unexplained text: {text!r}", evidence)
            for text, evidence in texts]


def _earlier_order(order: Order) -> Order | None:
    """The first order received under the same customer and PO number."""
    if not order.po_number:
        return None
    earlier = Order.objects.filter(po_number=order.po_number, customer=order.customer,
                                   kind=Order.Kind.ORDER)
    earlier = earlier.exclude(status__in=[Order.State.REJECTED, Order.State.DUPLICATE])
    # Only its identity and content hash are compared (and a query naming two
    # columns costs the ORM half as much to build as one naming all thirty,
    # while the write lock is held).
    return earlier.order_by("pk").only("pk", "content_hash").first()


def _lines_from(order: Order, resolution: Resolution) -> list[OrderLine]:
    lines = []
    for position, resolved in enumerate(resolution.lines):
        draft = resolved.draft
        lines.append(OrderLine(
            order=order, position=position, product=resolved.product,
            sku=_value(draft.sku)[:100], customer_part_number=_value(draft.customer_part_number)[:100],
            gtin=_value(draft.gtin)[:20], description=_value(draft.description)[:500],
            quantity=draft.quantity.value if draft.quantity else None,
            uom=_value(draft.uom)[:32], resolved_uom=resolved.uom,
            base_quantity=resolved.base_quantity,
            unit_price=draft.unit_price.value if draft.unit_price else None,
            price_per=draft.price_per.value if draft.price_per else None,
            requested_date=_date(draft.requested_date),
        ))
    return lines


def content_hash(order: Order, resolution: Resolution) -> str:
    """The business content of an order; equal hashes are the same order."""
    lines = sorted(
        [
            str(line.product.pk if line.product else _value(line.draft.sku)
                or _value(line.draft.customer_part_number) or _value(line.draft.description)),
            str(line.base_quantity if line.base_quantity is not None
                else _value(line.draft.quantity)),
            _value(line.draft.unit_price),
        ]
        for line in resolution.lines
    )
    body = [order.customer_id, order.po_number, order.shipto_id, order.ship_to_street,
            order.ship_to_postal_code, str(order.requested_date or ""), lines]
    return hashlib.sha256(json.dumps(body, default=str).encode()).hexdigest()


def draft_as_json(draft: OrderDraft) -> dict:
    """The draft as JSON-ready data (dataclasses.asdict deep-copies; this does not)."""
    return _plain(draft)


#: Values JSON takes as they are: most of a draft (texts, numbers, page and bbox).
_JSON_LEAVES = frozenset({str, int, float, bool, type(None)})


def _plain(value):
    if type(value) in _JSON_LEAVES:  # exact types: a str-valued Enum must still become its value
        return value
    if dataclasses.is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value.value if isinstance(value, Enum) else value


@cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
