"""The machinery behind every master-data import (CSV per CONTRACT §1).

django-import-export drives the row loop, preview and admin screens; this
module makes its resources fit an order desk's needs:

* strict parsing: ISO dates, ``.`` decimals, ``true``/``false``, codes
  upper-cased, and errors that name the file's line number;
* all or nothing: any invalid row rolls the whole file back;
* speed at 100k rows: existing rows and foreign keys are loaded once per
  file instead of once per row, and rows are written in bulk;
* history: bulk writes go through simple-history's ``*_with_history``
  helpers, so every created or changed row records who and why;
* list columns (``uoms``, ``email_domains``, ``aliases``,
  ``restricted_countries``) are stored as child rows the database can
  index and constrain.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from copy import copy
from datetime import date
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from orders.errors import MasterDataImportError
from orders.selectors import system_user

LIST_SEPARATOR = ";"
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- Reading the file ---------------------------------------------------------


class LineNumberedDataset(tablib.Dataset):
    """A dataset that remembers the file line each row started on."""

    line_numbers: list[int]


def read_csv(data: bytes | str) -> LineNumberedDataset:
    """Parse UTF-8 CSV into a dataset, keeping each row's line number.

    Blank lines are skipped (tablib does too) but, unlike tablib, we keep
    counting them so that errors point at the line a person sees in an
    editor. A row with more or fewer cells than the header is a file error.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MasterDataImportError(
                f"the file is not UTF-8 text (byte {exc.start} cannot be decoded)"
            ) from None
    reader = csv.reader(io.StringIO(data, newline=""), strict=True)
    dataset = LineNumberedDataset()
    dataset.line_numbers = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise MasterDataImportError("the file is empty: a header row is required")
        dataset.headers = [cell.strip().lower() for cell in header]
        ragged, previous_end = [], reader.line_num
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                ragged.append(f"line {start} has {len(cells)} cells, the header {len(header)}")
                continue
            dataset.append(cells)
            dataset.line_numbers.append(start)
    except csv.Error as exc:
        raise MasterDataImportError(f"line {reader.line_num}: malformed CSV ({exc})") from None
    if ragged:
        raise MasterDataImportError("; ".join(ragged))
    return dataset


class MasterDataCSV(base_formats.CSV):
    """CSV format for the admin: same parser as the command, safe export."""

    #: Cells a spreadsheet would evaluate as a formula (OWASP CSV injection).
    FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([self.neutralise(cell) for cell in row])
        return safe.export("csv", **kwargs)

    @classmethod
    def neutralise(cls, cell) -> str:
        text = "" if cell is None else str(cell)
        return "'" + text if text.startswith(cls.FORMULA_PREFIXES) else text


# --- Widgets: one cell to one value, strictly -----------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.Widget):
    def __init__(self, transform: Callable[[str], str] = str):
        self.transform = transform

    def clean(self, value, row=None, **kwargs):
        return "" if _blank(value) else self.transform(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip()
        if not _DECIMAL.match(text):
            raise ValueError(f"{text!r} is not a decimal number (use . as the separator)")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a decimal number") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f")


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a whole number")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip()
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date in YYYY-MM-DD form") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip().lower()
        if text not in {"true", "false"}:
            raise ValueError(f"{value!r} is not true or false")
        return text == "true"

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(bool(value)).lower()


class ChoiceWidget(TextWidget):
    def __init__(self, choices: Iterable[str]):
        super().__init__(str.lower)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if text and text not in self.choices:
            raise ValueError(f"{text!r} is not one of {', '.join(self.choices)}")
        return text or None


class KeyWidget(widgets.Widget):
    """A foreign key given by its natural key, resolved from a per-file cache.

    Loading ``{natural key: pk}`` once per file instead of one query per row
    is what keeps a 100k-row import inside a minute.
    """

    def __init__(self, model: type[models.Model], key: str, label: str):
        self.model, self.key, self.label = model, key, label
        self.reset()

    def reset(self) -> None:
        self._to_pk: dict[str, int] | None = None
        self._to_key: dict[int, str] | None = None

    def _load(self) -> None:
        pairs = list(self.model._default_manager.values_list(self.key, "pk"))
        self._to_pk = dict(pairs)
        self._to_key = {pk: key for key, pk in pairs}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if self._to_pk is None:
            self._load()
        text = str(value).strip()
        try:
            return self._to_pk[text]
        except KeyError:
            raise ValueError(f"unknown {self.label} {text!r}") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if self._to_key is None:
            self._load()
        return self._to_key.get(value, "")


class KeyField(fields.Field):
    """Import column holding a natural key; stored on ``<fk>_id``."""

    def __init__(self, fk: str, model: type[models.Model], key: str, column_name: str):
        super().__init__(
            attribute=f"{fk}_id", column_name=column_name, widget=KeyWidget(model, key, column_name)
        )
        self.fk_name = fk


# --- List columns stored as child rows ---------------------------------------------


class ChildRows:
    """Describes how a list cell maps onto rows of a child model."""

    def __init__(
        self,
        model: type[models.Model],
        parent: str,
        key: str,
        value: str | None = None,
        parse_item: Callable[[str], object] | None = None,
    ):
        self.model, self.parent, self.key, self.value = model, parent, key, value
        self.parse_item = parse_item

    def parse(self, cell: str) -> tuple:
        items = [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
        if self.value is None:
            return tuple(sorted({self.parse_item(item) for item in items}))
        pairs = {}
        for item in items:
            name, sep, amount = item.partition("=")
            if not sep:
                raise ValueError(f"{item!r} is not UNIT=FACTOR")
            unit = self.parse_item(name.strip())
            if unit in pairs:
                raise ValueError(f"unit {unit} is given twice")
            pairs[unit] = DecimalWidget().clean(amount)
            if pairs[unit] is None or pairs[unit] <= 0:
                raise ValueError(f"the factor of {unit} must be a positive number")
        return tuple(sorted(pairs.items()))

    def render(self, items: tuple) -> str:
        if self.value is None:
            return LIST_SEPARATOR.join(items)
        return LIST_SEPARATOR.join(f"{k}={DecimalWidget().render(v)}" for k, v in items)

    def load_current(self) -> dict[int, tuple]:
        columns = [f"{self.parent}_id", self.key] + ([self.value] if self.value else [])
        current: dict[int, list] = {}
        for row in self.model._default_manager.values_list(*columns):
            item = row[1] if self.value is None else (row[1], row[2])
            current.setdefault(row[0], []).append(item)
        return {pk: tuple(sorted(items)) for pk, items in current.items()}


class ChildListWidget(widgets.Widget):
    def __init__(self, rows: ChildRows):
        self.rows = rows

    def clean(self, value, row=None, **kwargs):
        return () if _blank(value) else self.rows.parse(str(value))

    def render(self, value, obj=None, **kwargs):
        return self.rows.render(value or ())


class ChildListField(fields.Field):
    """A list cell; the wanted items wait on the instance until it has a pk."""

    def __init__(self, column_name: str, rows: ChildRows):
        super().__init__(
            attribute=column_name, column_name=column_name, widget=ChildListWidget(rows)
        )
        self.rows = rows
        self.reset()

    def reset(self) -> None:
        self._current: dict[int, tuple] | None = None

    def current(self, pk: int | None) -> tuple:
        if pk is None:
            return ()
        if self._current is None:
            self._current = self.rows.load_current()
        return self._current.get(pk, ())

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.__dict__.setdefault("_pending_children", {})[self.column_name] = self.clean(row)

    def get_value(self, instance):
        pending = instance.__dict__.get("_pending_children", {})
        if self.column_name in pending:
            return pending[self.column_name]
        return self.current(instance.pk)


# --- The resource base ------------------------------------------------------------


class _PrecomputedLoader(BaseInstanceLoader):
    """Finds existing rows by natural key in a dict built once per file."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.by_key = {resource.key_of(obj): obj for obj in resource.get_queryset()}

    def get_instance(self, row):
        return self.by_key.get(self.resource.key_of_row(row))


class MasterDataResource(resources.ModelResource):
    """Base of every master-data kind: strict, all-or-nothing, audited, fast.

    Subclasses declare their fields, ``Meta.import_id_fields`` (the natural
    key, by field name) and ``required``: the columns CONTRACT §1 marks bold.
    """

    kind: str = ""
    required: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False
        instance_loader_class = _PrecomputedLoader
        use_transactions = True

    def __init__(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        html_diff: bool = True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._meta = copy(self._meta)
        self._meta.skip_html_diff = not html_diff
        self._meta.skip_diff = not html_diff
        self.progress = progress

    def get_import_fields(self):
        # import-export recomputes the ordered field list several times per
        # row; it never changes within an import.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    # -- keys --

    def key_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self._meta.import_id_fields]

    def key_of(self, obj) -> tuple:
        return tuple(field.get_value(obj) for field in self.key_fields())

    def key_of_row(self, row) -> tuple | None:
        try:
            return tuple(field.clean(row) for field in self.key_fields())
        except ValueError:
            return None  # reported by import_instance with the column's name

    # -- file level --

    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_import_fields()]

    def check_headers(self, headers: list[str]) -> None:
        allowed = self.column_names()
        seen = set()
        duplicated = [h for h in headers if h in seen or seen.add(h)]
        unknown = [h for h in headers if h not in allowed]
        missing = [c for c in self.required if c not in headers]
        problems = []
        if duplicated:
            problems.append(f"duplicate column(s): {', '.join(duplicated)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        if missing:
            problems.append(f"missing required column(s): {', '.join(missing)}")
        if problems:
            raise MasterDataImportError(
                f"{'; '.join(problems)} (columns for {self.kind}: {', '.join(allowed)})"
            )

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        **kwargs,
    ):
        # Invalid rows always roll the whole file back: a half-imported price
        # list is worse than none.
        kwargs["rollback_on_validation_errors"] = True
        self.check_headers(list(dataset.headers or []))
        # An optional key column (valid_from of prices) left out of the file
        # means "not set" on every row, which is a key value of its own.
        for field in self.key_fields():
            if field.column_name not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=field.column_name)
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )

    def before_import(self, dataset, **kwargs):
        self._line_numbers = getattr(dataset, "line_numbers", None)
        self._seen_keys: dict[tuple, int] = {}
        self._pending: list[models.Model] = []
        self._total = len(dataset)
        self._done = 0
        self._actor = kwargs.get("user") or system_user()
        if not getattr(self._actor, "pk", None):
            self._actor = system_user()
        self._reason = kwargs.get("reason") or f"import of {kwargs.get('file_name') or self.kind}"
        for field in self.fields.values():
            if isinstance(field.widget, KeyWidget):
                field.widget.reset()
            if isinstance(field, ChildListField):
                field.reset()

    def line_number(self, row_number: int) -> int:
        """File line of a row (import-export counts data rows from 1)."""
        if self._line_numbers:
            return self._line_numbers[row_number - 1]
        return row_number + 1

    # -- row level --

    def _values(self, instance) -> tuple:
        return tuple(field.get_value(instance) for field in self.get_import_fields())

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Compares against a snapshot taken before the row was applied, so the
        # command can run without import-export's per-row deepcopy and diff.
        before = instance.__dict__.get("_values_before")
        if import_validation_errors or before is None:
            return False
        return before == self._values(instance)

    def import_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.__dict__["_values_before"] = self._values(instance)
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        key = self.key_of(instance)
        line = self.line_number(kwargs["row_number"])
        if key in self._seen_keys and not errors:
            shown = ", ".join(
                f"{f.column_name}={row.get(f.column_name, '')}" for f in self.key_fields()
            )
            errors[NON_FIELD_ERRORS] = [f"same key as line {self._seen_keys[key]} ({shown})"]
        self._seen_keys.setdefault(key, line)
        errors.update(self.validate_row(instance, row) or {})
        if errors:
            raise ValidationError(errors)

    def validate_row(self, instance, row) -> dict | None:
        """Cross-field rules of one kind; return {field: [message]} or None."""
        return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Key columns and child lists are checked above from their caches;
        # full_clean would re-query each foreign key and unique key per row.
        exclude = [*errors, *self._fk_names(), *self._child_names()]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _fk_names(self) -> list[str]:
        return [f.fk_name for f in self.fields.values() if isinstance(f, KeyField)]

    def _child_names(self) -> list[str]:
        return [f.column_name for f in self.fields.values() if isinstance(f, ChildListField)]

    def after_save_instance(self, instance, row, **kwargs):
        if instance.__dict__.get("_pending_children"):
            self._pending.append(instance)

    def after_import_row(self, row, row_result, **kwargs):
        self._done += 1
        if self.progress and (self._done % 5000 == 0 or self._done == self._total):
            self.progress(self._done, self._total)

    # -- writing --

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self._actor,
                    default_change_reason=self._reason,
                )
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self._actor,
                    default_change_reason=self._reason,
                )
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()

    def get_bulk_update_fields(self):
        names = []
        for name in super().get_bulk_update_fields():
            field = self.fields[name]
            if isinstance(field, ChildListField) or field.readonly:
                continue
            names.append(field.fk_name if isinstance(field, KeyField) else field.attribute)
        return names

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors():
            return
        for field in self.fields.values():
            if isinstance(field, ChildListField):
                sync_children(field, self._pending, actor=self._actor, reason=self._reason)


def sync_children(field: ChildListField, parents: list[models.Model], *, actor, reason: str) -> None:
    """Make each parent's child rows equal the list its row asked for.

    Runs after the parents' bulk insert, when they have primary keys. Only
    differences are written; deletions go one by one so history records
    who removed each row.
    """
    rows = field.rows
    changed = []
    for parent in parents:
        wanted = parent.__dict__["_pending_children"].get(field.column_name)
        if wanted is not None and wanted != field.current(parent.pk):
            changed.append((parent.pk, dict(wanted) if rows.value else dict.fromkeys(wanted)))
    existing = _existing_children(rows, [pk for pk, _ in changed if field.current(pk)])
    to_create, to_update, to_delete = [], [], []
    for parent_pk, wanted in changed:
        current = existing.get(parent_pk, {})
        for key, child in current.items():
            if key not in wanted:
                to_delete.append(child)
            elif rows.value and getattr(child, rows.value) != wanted[key]:
                setattr(child, rows.value, wanted[key])
                to_update.append(child)
        for key in wanted.keys() - current.keys():
            child = rows.model(**{f"{rows.parent}_id": parent_pk, rows.key: key})
            if rows.value:
                setattr(child, rows.value, wanted[key])
            to_create.append(child)
    with transaction.atomic():
        for child in to_delete:
            child._history_user = actor
            child._change_reason = reason
            child.delete()
        if to_update:
            bulk_update_with_history(to_update, rows.model, [rows.value], batch_size=1000,
                                     default_user=actor, default_change_reason=reason)
        if to_create:
            bulk_create_with_history(to_create, rows.model, batch_size=1000,
                                     default_user=actor, default_change_reason=reason)


def _existing_children(rows: ChildRows, parent_pks: list[int]) -> dict[int, dict]:
    """Child rows of many parents in a few queries (chunks keep SQL short)."""
    found: dict[int, dict] = {}
    for start in range(0, len(parent_pks), 500):
        chunk = parent_pks[start:start + 500]
        for child in rows.model._default_manager.filter(**{f"{rows.parent}_id__in": chunk}):
            found.setdefault(getattr(child, f"{rows.parent}_id"), {})[getattr(child, rows.key)] = child
    return found
