"""orderdesk.sqlite: transactions queue on a lock file beside the database."""

import fcntl
import os
import threading

import pytest
from django.db import OperationalError
from django.db.backends.sqlite3 import base as django_sqlite
from django.db.utils import ConnectionHandler


def connect(name: str):
    """A connection of its own to ``name``, as the settings configure one."""
    handler = ConnectionHandler({"default": {
        "ENGINE": "orderdesk.sqlite", "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30}}})
    return handler["default"]


def begin(connection) -> None:
    """What transaction.atomic() does first on SQLite."""
    connection.ensure_connection()
    connection._start_transaction_under_autocommit()


def writers_busy(path: str) -> bool:
    """Whether some transaction holds the writers' lock now (never waits)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also frees the probe's own lock
    return False


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A database file of the test's own, outside pytest-django's test database."""
    with django_db_blocker.unblock():
        yield str(tmp_path / "orderdesk.sqlite3")


def test_a_transaction_holds_the_writers_lock_until_it_commits(database):
    connection = connect(database)
    begin(connection)
    connection.cursor().execute("CREATE TABLE t (x INTEGER)")
    assert writers_busy(connection.writers_path)
    connection._commit()
    assert not writers_busy(connection.writers_path)
    connection.close()


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_rolling_back_or_closing_frees_the_writers_lock(database, end):
    connection = connect(database)
    begin(connection)
    assert writers_busy(connection.writers_path)
    connection._rollback() if end == "rollback" else connection.close()
    assert not writers_busy(connection.writers_path)
    connection.close()


def test_a_begin_that_fails_frees_the_writers_lock(database, monkeypatch):
    def refuse(self):
        raise OperationalError("database is locked")

    connection = connect(database)
    connection.ensure_connection()
    monkeypatch.setattr(django_sqlite.DatabaseWrapper, "_start_transaction_under_autocommit", refuse)
    with pytest.raises(OperationalError):
        connection._start_transaction_under_autocommit()
    assert not writers_busy(connection.writers_path)
    connection.close()


def test_the_next_writer_begins_only_after_the_first_commits(database):
    first, events = connect(database), []
    begin(first)
    first.cursor().execute("CREATE TABLE t (x INTEGER)")

    def second_writer():
        second = connect(database)
        begin(second)  # waits in the queue, not in SQLite's busy handler
        events.append("second began")
        second.cursor().execute("INSERT INTO t VALUES (2)")
        second._commit()
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=0.3)
    assert thread.is_alive() and events == []
    first.cursor().execute("INSERT INTO t VALUES (1)")
    events.append("first committed")
    first._commit()
    thread.join(timeout=30)
    assert events == ["first committed", "second began"]
    assert [row[0] for row in first.cursor().execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    first.close()


def test_a_forked_child_cannot_free_its_parents_lock(database):
    connection = connect(database)
    begin(connection)
    pid = os.fork()
    if pid == 0:  # the child ends the transaction it inherited (it must not touch SQLite's)
        try:
            connection._writers_leave()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert writers_busy(connection.writers_path)
    connection._commit()
    assert not writers_busy(connection.writers_path)
    connection.close()


def test_an_in_memory_database_has_no_writers_file(tmp_path, monkeypatch, django_db_blocker):
    monkeypatch.chdir(tmp_path)
    django_db_blocker.unblock()
    connection = connect(":memory:")
    begin(connection)
    connection._commit()
    assert list(tmp_path.iterdir()) == []
