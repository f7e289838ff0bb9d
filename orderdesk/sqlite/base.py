"""SQLite with its writers queued on a lock file, each woken as the lock frees.

With ``transaction_mode`` IMMEDIATE every transaction takes SQLite's one write
lock at BEGIN. A writer that finds it held waits in SQLite's busy handler,
which does not wait for the lock: it sleeps 1, 2, 5, 10, 15, 20, 25 ... ms and
tries again. Under load most writers find the lock held and then sleep past
the moment it frees; in bench/pipeline.py a quarter of the two cores stood
idle so.

Here a transaction first takes an exclusive ``flock`` on a file beside the
database, so writers wait in the kernel and the next one begins as soon as
the one before commits. SQLite's own lock still decides correctness: a write
that does not come this way (a statement outside a transaction, another
program) meets the busy handler exactly as before. An in-memory database has
one connection and needs no queue.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writers_fd: int | None = None
        self._writers_pid = 0
        self._writers_held = False

    def _start_transaction_under_autocommit(self):
        self._writers_enter()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writers_leave()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._writers_leave()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._writers_leave()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._writers_leave()
            if self._writers_fd is not None:
                os.close(self._writers_fd)  # a forked child's copy: the parent's stays open
                self._writers_fd = None

    @property
    def writers_path(self) -> str:
        return f"{self.settings_dict['NAME']}-writers"

    def _writers_enter(self) -> None:
        if self.transaction_mode != "IMMEDIATE" or self.is_in_memory_db():
            return
        if self._writers_fd is None or self._writers_pid != os.getpid():
            # A forked child shares its parent's open file, and with it the
            # parent's lock: it needs a file of its own to queue with.
            if self._writers_fd is not None:
                os.close(self._writers_fd)
            self._writers_fd = os.open(self.writers_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                                       0o600)
            self._writers_pid = os.getpid()
        fcntl.flock(self._writers_fd, fcntl.LOCK_EX)
        self._writers_held = True

    def _writers_leave(self) -> None:
        if self._writers_held:
            self._writers_held = False
            # Unlocking a forked child's copy would free its parent's lock.
            if self._writers_pid == os.getpid():
                fcntl.flock(self._writers_fd, fcntl.LOCK_UN)
