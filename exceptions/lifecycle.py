"""The case lifecycle: one map of allowed moves, one helper that makes a move
and records its event.

Every transition of a case goes through ``case_transition``, inside the
transaction that holds the case's row lock, so a case never changes status
without its event row, nor gets an event for a move that rolled back (oscar's
``set_status``, zulip's audit row). The map lives here rather than in
exceptions.services because orders.services.execution closes cases under its
own stock and credit locks, and exceptions.services imports it (a module
both can import keeps the map single).
"""

from __future__ import annotations

from django.db import transaction

from exceptions.errors import CaseTransitionError
from exceptions.models import Case, CaseEvent

Kind, State = CaseEvent.Kind, Case.State
UNRESOLVED = frozenset({State.OPEN, State.IN_PROGRESS})

#: For each event: the statuses a case may have before it, and its status
#: after (None: unchanged). ``None`` before ``opened``: the case is new.
CASE_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    Kind.OPENED: (frozenset({None}), State.OPEN),
    Kind.TAKEN: (frozenset({State.OPEN}), State.IN_PROGRESS),
    Kind.RETURNED: (frozenset({State.IN_PROGRESS}), State.OPEN),
    Kind.CORRECTED: (UNRESOLVED, None),
    Kind.FIXED: (UNRESOLVED, None),
    # The boundary decides only cases nobody holds (case_reevaluate).
    Kind.REEVALUATED: (frozenset({State.OPEN}), None),
    Kind.RELEASED: (UNRESOLVED, State.RESOLVED),
    Kind.REJECTED: (UNRESOLVED, State.RESOLVED),
    Kind.RESOLVED: (frozenset({State.OPEN}), State.RESOLVED),
}


def case_transition_check(status: str | None, kind: str) -> str:
    """The status after ``kind`` from ``status``; CaseTransitionError if the map forbids it."""
    allowed, after = CASE_TRANSITIONS[kind]
    if status not in allowed:
        shown = Case.State(status).label.lower() if status else "new"
        if len(allowed) == 1 and None not in allowed:
            expected = Case.State(next(iter(allowed))).label.lower()
            raise CaseTransitionError(f"the case is {shown}, not {expected}")
        raise CaseTransitionError(f"the case is {shown}: it cannot be "
                                  f"{CaseEvent.Kind(kind).label.lower()}")
    return after or status


def case_transition(case: Case, *, kind: str, actor, reason: str = "",
                    changes: dict | None = None, fields: dict | None = None,
                    before: str | None = "") -> CaseEvent:
    """Move a locked case by ``kind``: check the map, save the status and
    ``fields`` (update_fields only), write the event. ``before``: the status
    the move started from, when the caller set the case up already (a new case)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a case moves inside the transaction that locked it")
    after = case_transition_check(case.status if before == "" else before, kind)
    update = dict(fields or {})
    if after != case.status:
        update["status"] = after
    if update:
        for name, value in update.items():
            setattr(case, name, value)
        case._history_user, case._change_reason = actor, (reason or kind)[:100]
        case.save(update_fields=sorted(update))
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, status=after,
                                    reason=reason[:300], changes=changes or {})


def causes_change(before: list[dict], after: list[dict]) -> dict:
    """The ``causes`` part of an event's changes, or nothing when they are the same."""
    old, new = _codes(before), _codes(after)
    return {"causes": {"before": old, "after": new}} if old != new else {}


def _codes(causes: list[dict]) -> list[str]:
    return list(dict.fromkeys(cause["code"] for cause in causes))
