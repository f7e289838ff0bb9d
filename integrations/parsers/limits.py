"""What one document may cost: its reading time, attachments and orders, and the caps on input
that every reader checks before it decodes much.

A document is read as a whole in one limited child (``read_document`` in the package, under
``sandbox``); a ``Budget`` says how long that may take and how many attachments and orders are
read from it. The e-mail reader asks ``attachment_limits`` before each attachment, so six slow
attachments cannot take six times the time of one: what the budget does not cover is not read,
and says so. The budget comes from the intake (Django settings); parsers only read it here.

The input caps are per format where the format knows its units (rows and cells of a sheet,
segments of EDI); the ones shared by every format (characters in one field, lines in one
order, orders in one document) are here. Each names its limit in the ParseError it raises:
that message is what a person reads on the UNREADABLE_DOCUMENT case.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from integrations.parsers.draft import OrderDraft, ParseError

#: Characters in one field (a cell, an element, a note). Excel's own cell limit: any longer
#: value is no order data, and free-text analysis of a 190 MB "note" takes minutes.
MAX_FIELD_CHARS = 32_767
#: Lines in one order.
MAX_LINES_PER_ORDER = 5_000
#: Orders a reader makes from one document (the budget reads fewer; those past this many
#: are not even counted, the document is refused).
MAX_ORDERS = 100_000
#: Segments in one EDI file, and characters in one segment (X12 and EDIFACT segments are
#: at most a few hundred characters; a free-text segment up to a few thousand).
MAX_SEGMENTS = 100_000
MAX_SEGMENT_CHARS = 10_000
#: Time kept back from the document's deadline, for the reader to put its answer together
#: after the last attachment.
_RESERVE_S = 2.0
#: An attachment is not started with less time than this left.
_MIN_PART_S = 1.0


@dataclass(frozen=True)
class Budget:
    """What reading one document may take (the intake's settings; these are the defaults)."""

    #: Wall-clock seconds for the whole document, every attachment included.
    seconds: float = 60
    #: Memory the reading child may add to the worker's size.
    memory_mb: int = 1024
    #: Seconds for one reader (the PDF reader's own limit): one attachment, within
    #: ``seconds``, or a whole document that is no e-mail.
    part_seconds: float = 30
    #: Attachments and attached messages read from one document, at every depth.
    attachments: int = 10
    #: Orders read from one document; those after them are routed, unread.
    orders: int = 500


DEFAULT = Budget()


@dataclass
class _Spend:
    budget: Budget
    deadline: float
    attachments: int = 0


_SPEND: ContextVar[_Spend | None] = ContextVar("document_budget", default=None)


@contextmanager
def spending(budget: Budget) -> Iterator[None]:
    """Read one document under ``budget`` (its deadline starts now)."""
    token = _SPEND.set(_Spend(budget, time.monotonic() + budget.seconds))
    try:
        yield
    finally:
        _SPEND.reset(token)


def attachment_limits() -> tuple[float, int]:
    """(seconds, memory MB) the next attachment may be read with; ParseError naming the
    limit when the document's budget leaves it unread. Outside ``spending`` (a reader
    called on its own) an attachment gets the default limits."""
    spend = _SPEND.get()
    if spend is None:
        return DEFAULT.part_seconds, DEFAULT.memory_mb
    spend.attachments += 1
    budget = spend.budget
    if spend.attachments > budget.attachments:
        raise ParseError(f"at most {budget.attachments} attachments are read from one document")
    left = spend.deadline - time.monotonic() - _RESERVE_S
    if left < _MIN_PART_S:
        raise ParseError(f"the document's reading time of {budget.seconds:g} s was spent")
    # Whole seconds: the limit is named in the attachment's cause ("exceeded 6 s").
    return min(budget.part_seconds, math.floor(left)), budget.memory_mb


def check_segments(text: str, terminator: str, what: str) -> None:
    """Refuse EDI text with too many segments or one too long, before it is tokenised."""
    count = text.count(terminator)
    if count > MAX_SEGMENTS:
        raise ParseError(f"the {what} file has {count:,} segments; at most {MAX_SEGMENTS:,} are read")
    longest = max(map(len, text.split(terminator)), default=0)
    if longest > MAX_SEGMENT_CHARS:
        raise ParseError(f"a {what} segment has {longest:,} characters; at most "
                         f"{MAX_SEGMENT_CHARS:,} are read")


def check_field(value: str, where: str) -> str:
    if len(value) > MAX_FIELD_CHARS:
        raise ParseError(f"{where} holds {len(value):,} characters; at most {MAX_FIELD_CHARS:,} "
                         "are read in one field")
    return value


def check_orders(orders: list[OrderDraft]) -> None:
    """The caps every format shares, on what a reader made: lines per order and characters
    per field. A reader that can check them earlier does (a cell, a segment); this is the
    net under all of them, before a draft leaves the limited child for the worker, which
    analyses its notes' free text outside any limit."""
    for number, order in enumerate(orders, start=1):
        if len(order.lines) > MAX_LINES_PER_ORDER:
            raise ParseError(f"order {number} has {len(order.lines):,} lines; at most "
                             f"{MAX_LINES_PER_ORDER:,} are read in one order")
        for text in _texts(order):
            check_field(text, f"a field of order {number}")


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
