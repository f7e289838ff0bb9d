"""Settings from the environment, safe defaults, and the queue guard."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from integrations.checks import check_task_queue
from orderdesk import settings as project_settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **env}, timeout=120, check=False,
    )


def test_check_deploy_is_clean_with_debug_off(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "k" * 20 + "x9!Qz" * 10,
           "ALLOWED_HOSTS": "orders.example.com", "ORDERDESK_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("ORDERDESK_HTTPS", None)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_default_database_is_an_sqlite_file_in_wal_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(project_settings, "VAR_DIR", tmp_path)
    config = project_settings.database_from_env()
    assert config["ENGINE"] == "orderdesk.sqlite"  # Django's, with its writers queued
    assert config["NAME"] == str(tmp_path / "orderdesk.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # What a real process gets: Django's own connection to the default file.
    code = ("from django.db import connection; c = connection.cursor(); "
            "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
            "c.execute('PRAGMA busy_timeout').fetchone()[0])")
    env = {"ORDERDESK_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    mode, timeout = result.stdout.split()
    assert (mode, int(timeout) >= 5000) == ("wal", True), result.stderr
    # WAL is a property of the file: every other process sees it too.
    assert sqlite3.connect(config["NAME"]).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://od:secret@db.internal:5432/orderdesk")
    config = project_settings.database_from_env()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"], config["USER"]) == ("db.internal", "orderdesk", "od")
    assert "transaction_mode" not in config.get("OPTIONS", {})


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ValueError, match="DEBUG must be true or false"):
        project_settings.env_bool("DEBUG", False)


def test_shipped_queue_settings_pass_the_check():
    assert check_task_queue() == []


@pytest.mark.parametrize(
    ("changes", "error_id"),
    [
        ({"timeout": None}, "orderdesk.E001"),
        ({"timeout": 300, "retry": 300}, "orderdesk.E002"),
        ({"timeout": 300, "retry": 310}, "orderdesk.E002"),
        ({"ack_failures": False}, "orderdesk.E003"),
        ({"orm": None, "redis": None}, "orderdesk.E004"),
    ],
)
def test_unsafe_queue_settings_fail_the_system_check(settings, changes, error_id):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, **changes}
    assert error_id in [error.id for error in check_task_queue()]


def test_redis_url_switches_the_broker(tmp_path):
    code = ("from django.conf import settings; q = settings.Q_CLUSTER; "
            "print(q.get('redis'), q.get('orm'), q.get('broker_class'))")
    result = manage("shell", "--no-imports", "-c", code, env={"REDIS_URL": "redis://127.0.0.1:6379/3",
                                              "ORDERDESK_VAR_DIR": str(tmp_path)})
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", "None", "None"], result.stderr
