"""Audited writes on the hot path: each row with its history row, in few statements.

django-simple-history records a change from a post_save signal, one row at a
time, and for each one builds a new manager class for the model
(``Model.history`` is a descriptor: ~0.3 ms, more than the INSERT it serves).
Intake and the boundary write about ten audited rows per order, so they write
through here instead: rows are saved without the signal, and their history
rows are written by the model's history manager, built once per process, in
one INSERT per model. The history rows are the ones the signal would have
written: every tracked field, the user, the reason, "+" for a new row and
"~" for a change.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, models, router
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model


@cache
def _history(model: type[models.Model]):
    return get_history_manager_for_model(model)


def history_create(objs: list[models.Model], *, user, reason: str | None = None) -> list:
    """INSERT new rows of one model, then their history rows."""
    if not objs:
        return objs
    model = type(objs[0])
    if not connections[router.db_for_write(model)].features.can_return_rows_from_bulk_insert:
        # Without RETURNING the rows have no keys yet; the library finds them again.
        return bulk_create_with_history(objs, model, default_user=user,
                                        default_change_reason=reason)
    created = model._default_manager.bulk_create(objs)
    _history(model).bulk_history_create(created, default_user=user,
                                        default_change_reason=reason)
    return created


def history_update(objs: list[models.Model], fields: list[str], *, user,
                   reason: str | None = None) -> None:
    """UPDATE ``fields`` of rows of one model, then write their history rows."""
    if not objs:
        return
    model = type(objs[0])
    if len(objs) == 1:
        _save_quietly(objs[0], fields)
    else:
        model._default_manager.bulk_update(objs, fields)
    _history(model).bulk_history_create(objs, update=True, default_user=user,
                                        default_change_reason=reason)


def _save_quietly(obj: models.Model, fields: list[str]) -> None:
    # simple-history's documented switch: its post_save handler writes nothing.
    obj.skip_history_when_saving = True
    try:
        obj.save(update_fields=fields)
    finally:
        del obj.skip_history_when_saving
