"""Run an untrusted-input reader in a forked child with time and memory limits.

A hostile or broken PDF can make a reader loop, allocate without bound or
crash inside C code. The reader therefore runs in a child made with
``os.fork()`` (not multiprocessing: queue workers are daemonic processes and
multiprocessing refuses to start children there) under ``RLIMIT_AS`` and
``RLIMIT_CPU``. The child sends its result back pickled through a pipe and
always leaves with ``os._exit``, so it never returns into the caller's code,
runs no atexit handlers and never touches the caller's database connections.

Every failure (timeout, memory, crash, exception) becomes a one-line
``ParseError``: for the intake the document is unreadable either way.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import math
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from integrations.parsers.draft import ParseError

R = TypeVar("R")

#: Tests switch this off to run the function in-process (no fork, no limits).
LIMITED = True

_MB = 1024 * 1024
_CHUNK = 65536
# Kinds of message the child sends back.
_OK, _ERROR, _MEMORY = "ok", "error", "memory"
# Signals that mean the CPU-time limit was reached rather than a crash.
_CPU_SIGNALS = {signal.SIGXCPU, signal.SIGKILL}
#: Children that had answered but were still exiting when the answer arrived:
#: the next run reaps them, so no caller waits while the kernel tears down a
#: copy of a worker-sized address space (several ms on every PDF).
_EXITING: list[int] = []


def run_limited(
    func: Callable[..., R],
    *args: Any,
    timeout_s: float = 30,
    memory_mb: int = 1024,
    limited: bool | None = None,
) -> R:
    """``func(*args)`` in a limited child; its result, or ParseError with one line."""
    if not (LIMITED if limited is None else limited):
        return _run_in_process(func, args)
    _reap_exiting()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
        try:
            os.close(read_fd)
            _child(write_fd, func, args, timeout_s, memory_mb)
        finally:
            os._exit(1)  # never return into the caller's code
    os.close(write_fd)
    try:
        payload = _read_until(read_fd, time.monotonic() + timeout_s)
    except BaseException:
        _kill(pid)  # interrupted while waiting: leave neither a running child nor a zombie
        raise
    finally:
        os.close(read_fd)
    if payload is None:
        _kill(pid)
        raise ParseError(f"PDF reading exceeded {_seconds(timeout_s)} s")
    message = _unpickle(payload)
    if message is None:  # it died without answering: its exit status says why
        raise ParseError(_death_reason(_reap(pid), timeout_s, memory_mb))
    _reap_later(pid)
    return _outcome(message, memory_mb)


def _run_in_process(func: Callable[..., R], args: tuple[Any, ...]) -> R:
    try:
        return func(*args)
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(_one_line(exc)) from exc


def _child(write_fd: int, func: Callable[..., Any], args: tuple[Any, ...],
           timeout_s: float, memory_mb: int) -> None:  # pragma: no cover - child only
    # A crash inside the reader is reported as one line by the parent; a
    # faulthandler dump of the inherited stack would only add noise to logs.
    faulthandler.disable()
    # The child lives for one document and is killed by its memory limit if it
    # grows: no collector passes, which would touch (and so copy) every page
    # the child shares with its parent.
    gc.disable()
    try:
        _set_limits(timeout_s, memory_mb)
        message: tuple[str, Any] = (_OK, func(*args))
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps((_MEMORY, ""))
    except BaseException as exc:  # everything must reach the parent, as text
        data = _pickled_error(exc)
    try:
        _write_all(write_fd, data)
        # Closed before exiting: the answer reaches the parent now, not after
        # the kernel has torn this process down.
        os.close(write_fd)
    finally:
        os._exit(0)


def _pickled_error(exc: BaseException) -> bytes:  # pragma: no cover - child only
    try:
        return pickle.dumps((_ERROR, _one_line(exc)))
    except MemoryError:
        return pickle.dumps((_MEMORY, ""))


def _set_limits(timeout_s: float, memory_mb: int) -> None:  # pragma: no cover - child only
    # The child inherits the parent's address space (interpreter, Django, the
    # reader's modules); the limit is on what the reader may add to it.
    limit = _address_space_now() + memory_mb * _MB
    _lower_limit(resource.RLIMIT_AS, limit, limit)
    cpu = math.ceil(timeout_s) + 1
    _lower_limit(resource.RLIMIT_CPU, cpu, cpu + 1)


def _lower_limit(which: int, soft: int, hard: int) -> None:  # pragma: no cover - child only
    _, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _address_space_now() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - child only
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks: list[bytes] = []
    # poll, not select: a busy worker may hold descriptors above select's limit of 1024.
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if not poller.poll(max(1, math.ceil(remaining * 1000))):
            return None
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap_later(pid: int) -> None:
    """Reap a child that answered; if it is still exiting, the next run does."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return
    if not done:
        _EXITING.append(pid)


def _reap_exiting() -> None:
    # They closed their pipe on the way to os._exit: each is dead or about to be.
    # pop() until empty, not "while _EXITING": another thread may take the last.
    while True:
        try:
            pid = _EXITING.pop()
        except IndexError:
            return
        _reap(pid)


def _reap(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue


def _outcome(message: tuple[str, Any], memory_mb: int) -> Any:
    kind, value = message
    if kind == _OK:
        return value
    if kind == _MEMORY:
        raise ParseError(f"PDF reading ran out of memory ({memory_mb} MB limit)")
    raise ParseError(str(value))


def _unpickle(payload: bytes) -> tuple[str, Any] | None:
    if not payload:
        return None
    try:
        # The payload comes from our own forked child, never from the document.
        message = pickle.loads(payload)  # noqa: S301
    except Exception:
        return None
    if isinstance(message, tuple) and len(message) == 2:
        return message
    return None


def _death_reason(status: int, timeout_s: float, memory_mb: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in _CPU_SIGNALS:
            return f"PDF reading exceeded {_seconds(timeout_s)} s"
        return f"PDF reader crashed (signal {number})"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
        return f"PDF reader crashed (exit status {os.WEXITSTATUS(status)})"
    # A child that exits cleanly without a message could not even pickle one:
    # with a limit on its address space that is almost always memory.
    return f"PDF reading ran out of memory ({memory_mb} MB limit)"


def _seconds(timeout_s: float) -> str:
    return f"{timeout_s:g}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
