"""Writing master data from files: the one entry point for command, admin and jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from import_export.results import RowResult

from orders.errors import MasterDataImportError
from orders.importing import ChildListField, KeyField, MasterDataResource, read_csv
from orders.models import ImportJob
from orders.resources import RESOURCES


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }

    def summary(self) -> str:
        figures = ", ".join(f"{n} {label}" for label, n in self.counts().items())
        if not self.ok:
            return f"{self.kind} from {self.file_name}: {figures}; nothing written"
        suffix = " (dry run: nothing written)" if self.dry_run else ""
        return f"{self.kind} from {self.file_name}: {figures}{suffix}"


def resource_for(kind: str, **kwargs) -> MasterDataResource:
    try:
        return RESOURCES[kind](**kwargs)
    except KeyError:
        raise MasterDataImportError(
            f"unknown kind {kind!r} (one of: {', '.join(RESOURCES)})"
        ) from None


def masterdata_import(
    *,
    kind: str,
    data: bytes | str,
    file_name: str,
    dry_run: bool = False,
    actor=None,
    reason: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate and upsert one CSV file of master data, all or nothing.

    Raises MasterDataImportError when the file as a whole is unusable;
    returns a report naming every invalid row by its line number otherwise.
    History records ``actor`` (the system user when None) and ``reason``.
    """
    resource = resource_for(kind, progress=progress, html_diff=False)
    dataset = read_csv(data)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        user=actor,
        file_name=file_name,
        reason=reason or f"import_masterdata {kind} {file_name}",
    )
    totals = result.totals
    changed = totals[RowResult.IMPORT_TYPE_NEW] + totals[RowResult.IMPORT_TYPE_UPDATE]
    if changed and not dry_run and not result.has_errors() and not result.has_validation_errors():
        from exceptions.services import masterdata_changed

        masterdata_changed(kind=kind, reason=f"{kind} imported from {file_name}")
    return ImportReport(
        kind=kind,
        file_name=file_name,
        dry_run=dry_run,
        created=totals[RowResult.IMPORT_TYPE_NEW],
        updated=totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=totals[RowResult.IMPORT_TYPE_SKIP],
        invalid=totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR],
        errors=describe_errors(resource, result),
    )


def describe_errors(resource: MasterDataResource, result) -> list[str]:
    """Every problem of an import result as 'line N: column: message'."""
    columns = {}
    for f in resource.fields.values():
        columns[f.attribute] = f.column_name
        if isinstance(f, KeyField):
            columns[f.fk_name] = f.column_name
        if isinstance(f, ChildListField):
            columns[f.column_name] = f.column_name
    lines = []
    for invalid in result.invalid_rows:
        line = resource.line_number(invalid.number)
        for name, messages in invalid.error_dict.items():
            prefix = "" if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: "
            lines.extend(f"line {line}: {prefix}{message}" for message in messages)
    for number, errors in result.row_errors():
        line = resource.line_number(number)
        lines.extend(f"line {line}: {error.error}" for error in errors)
    lines.extend(f"the file was refused: {error.error}" for error in result.base_errors)
    return lines


# --- Background import jobs (large admin uploads) ------------------------------------

JOB_TRANSITIONS = {
    ImportJob.State.QUEUED: {ImportJob.State.RUNNING},
    # RUNNING -> QUEUED: the sweeper's retry of a job whose worker died. The
    # import runs in one transaction, so a dead run left nothing behind.
    ImportJob.State.RUNNING: {ImportJob.State.SUCCEEDED, ImportJob.State.FAILED,
                              ImportJob.State.QUEUED},
}
#: Runs of one job before the sweeper gives up on it.
JOB_MAX_ATTEMPTS = 3


def import_job_create(*, kind: str, upload, dry_run: bool, actor, reason: str) -> ImportJob:
    resource_for(kind)  # fail fast on an unknown kind
    with transaction.atomic():
        job = ImportJob(
            kind=kind, original_name=upload.name, dry_run=dry_run, reason=reason, created_by=actor
        )
        job.file.save(upload.name, upload, save=False)
        job._history_user = actor
        job.save()
        transaction.on_commit(lambda: _enqueue_job(job.pk))
    return job


def _enqueue_job(job_id: int) -> None:
    from django_q.tasks import async_task

    async_task("orders.tasks.run_import_job", job_id, task_name=f"import-job-{job_id}")


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job once; a second delivery finds it claimed and stops."""
    claimed = _job_transition(job_id, ImportJob.State.QUEUED, ImportJob.State.RUNNING)
    if claimed is None:
        return None
    try:
        with claimed.file.open("rb") as handle:
            report = masterdata_import(
                kind=claimed.kind,
                data=handle.read(),
                file_name=claimed.original_name,
                dry_run=claimed.dry_run,
                actor=claimed.created_by,
                reason=claimed.reason,
            )
    except MasterDataImportError as exc:
        return _job_finish(claimed, ok=False, counts={}, errors=str(exc))
    return _job_finish(
        claimed, ok=report.ok, counts=report.counts(), errors="\n".join(report.errors)
    )


def import_jobs_sweep(*, now=None) -> int:
    """Re-queue jobs whose task was lost; give up after JOB_MAX_ATTEMPTS runs.

    A queued job older than a few minutes lost its task message; a running
    job older than the queue's retry window lost its worker.
    """
    now = now or timezone.now()
    stale_queued = now - timedelta(minutes=5)
    stale_running = now - timedelta(seconds=settings.Q_CLUSTER["retry"])
    count = 0
    for job in ImportJob.objects.filter(status=ImportJob.State.QUEUED, created_at__lt=stale_queued):
        _enqueue_job(job.pk)
        count += 1
    running = ImportJob.objects.filter(status=ImportJob.State.RUNNING, started_at__lt=stale_running)
    for job in running:
        if job.attempts >= JOB_MAX_ATTEMPTS:
            _job_finish(job, ok=False, counts={}, errors="gave up: the worker died on every attempt")
        elif _job_transition(job.pk, ImportJob.State.RUNNING, ImportJob.State.QUEUED):
            _enqueue_job(job.pk)
            count += 1
    return count


def _job_transition(job_id: int, old: str, new: str) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != old or new not in JOB_TRANSITIONS.get(job.status, set()):
            return None
        job.status = new
        if new == ImportJob.State.RUNNING:
            job.attempts += 1
            job.started_at = timezone.now()
        job._history_user = job.created_by
        job.save(update_fields=["status", "attempts", "started_at"])
    return job


def _job_finish(job: ImportJob, *, ok: bool, counts: dict, errors: str) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        new = ImportJob.State.SUCCEEDED if ok else ImportJob.State.FAILED
        if new not in JOB_TRANSITIONS.get(job.status, set()):
            return job
        job.status, job.counts, job.errors = new, counts, errors
        job.finished_at = timezone.now()
        job._history_user = job.created_by
        job.save(update_fields=["status", "counts", "errors", "finished_at"])
    return job
