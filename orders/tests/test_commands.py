"""Operational commands: first admin, schedules, import-job sweeper, migrations."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from orders.models import ImportJob
from orders.services import masterdata as service

pytestmark = pytest.mark.django_db


def test_ensure_admin_generates_a_password_once(monkeypatch):
    monkeypatch.delenv("ORDERDESK_ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_admin", url="http://127.0.0.1:8000/", stdout=out)
    password = out.getvalue().split("Login: admin / ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert password not in out.getvalue()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ORDERDESK_ADMIN_PASSWORD", "correct horse battery staple")
    call_command("ensure_admin", stdout=StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("correct horse battery staple")
    assert admin.groups.filter(name="Order desk manager").exists()


def test_setup_schedules_is_idempotent():
    call_command("setup_schedules", stdout=StringIO())
    call_command("setup_schedules", stdout=StringIO())
    assert Schedule.objects.filter(func="orders.tasks.sweep_import_jobs").count() == 1


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _job(actor) -> ImportJob:
    upload = SimpleUploadedFile("sales_reps.csv", b"email,name\nrep@us.example,Rep\n")
    return service.import_job_create(kind="sales_reps", upload=upload, dry_run=False,
                                     actor=actor, reason="test")


def test_sweeper_requeues_lost_jobs_and_gives_up_after_three_runs(monkeypatch, make_user):
    queued = []
    monkeypatch.setattr(service, "_enqueue_job", queued.append)
    job = _job(make_user("mgr"))
    later = timezone.now() + timedelta(minutes=10)
    assert service.import_jobs_sweep(now=later) == 1  # queued, but its task was lost
    for _ in range(service.JOB_MAX_ATTEMPTS):
        service._job_transition(job.pk, ImportJob.State.QUEUED, ImportJob.State.RUNNING)
        job.refresh_from_db()
        far = job.started_at + timedelta(hours=1)
        service.import_jobs_sweep(now=far)  # the worker died mid-run
    job.refresh_from_db()
    assert job.status == ImportJob.State.FAILED
    assert job.attempts == service.JOB_MAX_ATTEMPTS
    assert "gave up" in job.errors
