"""Audited writes on the hot path: each row with its history row, in few statements.

django-simple-history records a change from a post_save signal, one row at a
time, and for each one builds a new manager class for the model
(``Model.history`` is a descriptor: ~0.3 ms, more than the INSERT it serves).
Intake, the boundary and the outbox write about twenty audited rows per
order, so they write through here instead: rows are saved without the signal,
and their history rows are written by the model's history manager, built once
per process. The history rows are the ones the signal would have written:
every tracked field, the user, the reason, "+" for a new row and "~" for a
change.

Changed rows and history rows go out as one prepared statement per model
(``executemany``), their values adapted by each field exactly as the ORM
adapts them. Compiling the same UPDATE or INSERT through the ORM for every
row cost ~0.4 ms of Python a statement, most of it inside the write
transaction, where on SQLite every other worker waits for it
(bench/pipeline.py). Anything such a statement cannot carry (expressions,
fields of a parent table, custom placeholders) goes through the ORM as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections, models, router
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)


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
    created = objs if _insert(model, objs) else model._default_manager.bulk_create(objs)
    _history_insert(model, created, "+", user=user, reason=reason)
    return created


def record_create(objs: list[models.Model]) -> list:
    """INSERT new rows that are audit records themselves (decisions), kept
    without history rows, as history_create writes rows."""
    if objs and not _insert(type(objs[0]), objs):
        type(objs[0])._default_manager.bulk_create(objs)
    return objs


def history_update(objs: list[models.Model], fields: list[str], *, user,
                   reason: str | None = None) -> None:
    """UPDATE ``fields`` of rows of one model, then write their history rows.
    A row that is gone raises DatabaseError, as ``save(update_fields=...)`` does."""
    if not objs:
        return
    model = type(objs[0])
    if not _update(model, objs, fields):
        raise DatabaseError(f"{model.__name__}: {len(objs)} rows to update, fewer found")
    _history_insert(model, objs, "~", user=user, reason=reason)


def history_update_if(obj: models.Model, fields: list[str], *, expected: dict, user,
                      reason: str | None = None) -> bool:
    """UPDATE ``fields`` of one row only if its columns still hold ``expected``,
    then write its history row: the conditional update that claims work (a
    concurrent claim finds the row changed and gets False, writing nothing).

    The history row is made from ``obj`` as the caller read it, so
    ``expected`` must name columns that tell every version of the row apart
    (e.g. status and an attempt counter that every claim raises).
    """
    model = type(obj)
    if not _update(model, [obj], fields, expected=expected):
        return False
    _history_insert(model, [obj], "~", user=user, reason=reason)
    return True


def _history_insert(model: type[models.Model], objs: list[models.Model], history_type: str, *,
                    user, reason: str | None) -> None:
    """History rows as simple-history's bulk_history_create makes them (an
    object's own _history_user, _history_date and _change_reason win over the
    defaults), written in one statement."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = _history(model).model
    now = timezone.now()
    columns = _history_columns(history_model)
    if columns is None:
        _history_rows_through_orm(history_model, objs, history_type, now, user=user, reason=reason)
        return
    alias = router.db_for_write(history_model)
    connection = connections[alias]
    params = []
    for obj in objs:
        actor = getattr(obj, "_history_user",
                        user or history_model.get_default_history_user(obj))
        own = {"history_date": getattr(obj, "_history_date", now),
               "history_user_id": actor.pk if actor is not None else None,
               "history_change_reason": get_change_reason_from_object(obj) or reason,
               "history_type": history_type}
        values = [getattr(obj, source) if source else own[field.attname]
                  for field, source in zip(columns.fields, columns.sources, strict=True)]
        if any(hasattr(value, "resolve_expression") for value in values):
            # An expression (F(), a database default) only the ORM can write.
            _history_rows_through_orm(history_model, objs, history_type, now, user=user,
                                      reason=reason)
            return
        params.append(_adapted(columns, values, connection))
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(history_model, alias), params)


def _history_rows_through_orm(history_model, objs, history_type: str, now, *, user,
                              reason: str | None) -> None:
    rows = []
    for obj in objs:
        row = history_model(
            history_date=getattr(obj, "_history_date", now),
            history_user=getattr(obj, "_history_user",
                                 user or history_model.get_default_history_user(obj)),
            history_change_reason=get_change_reason_from_object(obj) or reason,
            history_type=history_type,
            **{field.attname: getattr(obj, field.attname) for field in history_model.tracked_fields},
        )
        if hasattr(history_model, "history_relation"):
            row.history_relation_id = obj.pk
        rows.append(row)
    history_model.objects.bulk_create(rows)


# --- Prepared statements ---------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    """The columns a statement writes, worked out once per model."""

    fields: tuple[models.Field, ...]
    #: History rows: the audited object's attribute each column copies ("" for
    #: the history's own: date, user, reason, type).
    sources: tuple[str, ...]
    #: Text reaches every backend as it is (and is most columns): no adapting.
    text: tuple[bool, ...]


def _columns(fields, sources=()) -> _Columns:
    return _Columns(tuple(fields), tuple(sources),
                    tuple(type(field) in (models.CharField, models.TextField) for field in fields))


@cache
def _history_columns(history_model) -> _Columns | None:
    """Every column of the history table but its key. None when the table
    has a column that is neither a copy nor the history's own (e.g.
    history_relation, extra fields): those rows are made as the library makes
    them."""
    tracked = {field.attname for field in history_model.tracked_fields}
    own = {"history_date", "history_user_id", "history_change_reason", "history_type"}
    pk = history_model._meta.pk
    if not isinstance(pk, AutoFieldMixin):
        return None
    fields, sources = [], []
    for field in history_model._meta.local_concrete_fields:
        if field is pk:
            continue
        if field.attname not in tracked | own:
            return None
        fields.append(field)
        sources.append(field.attname if field.attname in tracked else "")
    return _columns(fields, sources)


@cache
def _update_columns(model: type[models.Model], names: tuple[str, ...]) -> _Columns | None:
    fields = [model._meta.get_field(name) for name in names]
    local = model._meta.local_concrete_fields
    if any(field not in local or field.primary_key or hasattr(field, "get_placeholder")
           for field in fields):
        return None  # a parent's table, the key itself, a custom placeholder: the ORM's job
    return _columns(fields)


@cache
def _insert_columns(model: type[models.Model]) -> _Columns | None:
    """Every column of a new row but its generated key; None for what only the
    ORM writes (a parent's table, database defaults, custom placeholders)."""
    meta = model._meta
    if meta.parents or not isinstance(meta.pk, AutoFieldMixin):
        return None
    fields = [field for field in meta.local_concrete_fields if field is not meta.pk]
    if any(field.generated or field.has_db_default() or hasattr(field, "get_placeholder")
           for field in fields):
        return None
    return _columns(fields)


def _insert(model: type[models.Model], objs: list[models.Model]) -> bool:
    """INSERT new rows one prepared statement each, their keys set from
    RETURNING, as bulk_create leaves them (no signals, no save()). False, and
    nothing written, for what the statement cannot carry: the caller hands
    those to bulk_create."""
    columns = _insert_columns(model)
    alias = router.db_for_write(model)
    connection = connections[alias]
    if (columns is None or not connection.features.can_return_columns_from_insert
            or any(obj.pk is not None for obj in objs)):
        return False
    for obj in objs:
        # A related object saved after it was assigned lends its key now.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    values = [[field.pre_save(obj, True) for field in columns.fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in values for value in row):
        return False
    sql = _insert_row_sql(model, alias)
    with connection.cursor() as cursor:
        for obj, row in zip(objs, values, strict=True):
            cursor.execute(sql, _adapted(columns, row, connection))
            obj.pk = cursor.fetchone()[0]
            obj._state.adding, obj._state.db = False, alias
    return True


def _update(model: type[models.Model], objs: list[models.Model], fields: list[str], *,
            expected: dict | None = None) -> bool:
    """UPDATE the rows by primary key (and, with ``expected``, only where those
    columns hold those values). True when every row was updated."""
    expected = expected or {}
    names, conditions = tuple(fields), tuple(expected)
    columns, held = _update_columns(model, names), _update_columns(model, conditions)
    values = [[field.pre_save(obj, False) for field in columns.fields] if columns else []
              for obj in objs]
    if columns is None or held is None or any(
            hasattr(value, "resolve_expression")
            for value in [*expected.values(), *(value for row in values for value in row)]):
        return _update_through_orm(model, objs, names, expected)
    alias = router.db_for_write(model)
    connection = connections[alias]
    pk = model._meta.pk
    # A NULL is matched with IS NULL: which conditions are NULL shapes the statement.
    nulls = tuple(value is None for value in expected.values())
    held_values = [field.get_db_prep_save(value, connection)
                   for field, value in zip(held.fields, expected.values(), strict=True)
                   if value is not None]
    params = [[*_adapted(columns, row, connection), pk.get_db_prep_value(obj.pk, connection),
               *held_values] for obj, row in zip(objs, values, strict=True)]
    with connection.cursor() as cursor:
        cursor.executemany(_update_sql(model, names, conditions, nulls, alias), params)
        return cursor.rowcount == len(objs)


def _update_through_orm(model: type[models.Model], objs: list[models.Model],
                        names: tuple[str, ...], expected: dict | None) -> bool:
    """What the prepared UPDATE cannot carry (expressions, a parent's table)."""
    if not expected:
        return model._default_manager.bulk_update(objs, list(names)) == len(objs)
    (obj,) = objs
    # Audited model, history written by the caller of _update: QuerySet.update
    # is what the conditional update of a claim is.
    updated = model._default_manager.filter(pk=obj.pk, **expected).update(
        **{name: getattr(obj, model._meta.get_field(name).attname) for name in names})
    return updated == 1


def _adapted(columns: _Columns, values: list, connection) -> list:
    """Values as the ORM hands them to the driver (field.get_db_prep_save)."""
    return [value if text and type(value) is str else field.get_db_prep_save(value, connection)
            for field, text, value in zip(columns.fields, columns.text, values, strict=True)]


@cache
def _update_sql(model: type[models.Model], names: tuple[str, ...], conditions: tuple[str, ...],
                nulls: tuple[bool, ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s"
                            for field in _update_columns(model, names).fields)
    where = [f"{quote(model._meta.pk.column)} = %s"] + [
        f"{quote(field.column)} {'IS NULL' if null else '= %s'}"
        for field, null in zip(_update_columns(model, conditions).fields, nulls, strict=True)]
    # Names from the model's metadata, quoted; every value is a parameter.
    return (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {' AND '.join(where)}")


@cache
def _insert_row_sql(model: type[models.Model], alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = _insert_columns(model).fields
    returning, _ = connection.ops.return_insert_columns([model._meta.pk])
    return (f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - as _update_sql
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) {returning}")


@cache
def _insert_sql(history_model, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    fields = _history_columns(history_model).fields
    return (f"INSERT INTO {quote(history_model._meta.db_table)} "  # noqa: S608 - as _update_sql
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})")
