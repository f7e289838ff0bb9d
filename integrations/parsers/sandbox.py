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

``warm=True`` (the intake's PDF reads) keeps one such child alive per process
and hands it document after document: forking a worker-sized process costs
more than reading a one-page PDF. It runs under the same memory limit; the
caller's deadline kills it; it is replaced after any failure and after
``WARM_JOBS`` documents, and a document that runs it out of memory is read
again by a fresh child before it is called unreadable. It also has a CPU limit,
re-armed before every document (a job whose caller was killed cannot spin on),
and it dies with the process that forked it (``PR_SET_PDEATHSIG``, or a thread
watching the parent's pid where the kernel has no such call): a killed worker
leaves no reader behind.

Inside a limited child, a warm read runs in that child itself: the intake reads
a whole document (every format, every attachment) in one, and a PDF reader
there is already under the document's limits.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import math
import os
import pickle
import resource
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from integrations.parsers.draft import ParseError

R = TypeVar("R")

#: Tests switch this off to run the function in-process (no fork, no limits).
LIMITED = True
#: True in a limited child: warm reads asked for there run in that child (module doc).
_INSIDE = False

_MB = 1024 * 1024
_CHUNK = 65536
# Kinds of message the child sends back.
_OK, _ERROR, _MEMORY = "ok", "error", "memory"
# Signals that mean the CPU-time limit was reached rather than a crash.
_CPU_SIGNALS = {signal.SIGXCPU, signal.SIGKILL}
#: CPU seconds a warm child may spend over its whole life; it is replaced before
#: the CPU granted to its jobs would pass this (each job's own limit is re-armed).
WARM_CPU_S = 3600
_PR_SET_PDEATHSIG = 1
#: How often the fallback watch looks whether the parent is still there.
_PARENT_WATCH_S = 0.5
#: Children that had answered but were still exiting when the answer arrived:
#: the next run reaps them, so no caller waits while the kernel tears down a
#: copy of a worker-sized address space (several ms on every PDF).
_EXITING: list[int] = []
#: Documents a warm child reads before it is replaced (bounds what a long-lived
#: reader may accumulate: caches, a fragmented heap).
WARM_JOBS = 200
_LENGTH = struct.Struct("!Q")


def run_limited(
    func: Callable[..., R],
    *args: Any,
    timeout_s: float = 30,
    memory_mb: int = 1024,
    limited: bool | None = None,
    warm: bool = False,
    label: str = "PDF",
) -> R:
    """``func(*args)`` in a limited child; its result, or ParseError with one line
    (``label`` names the reader in it: "PDF reading exceeded 30 s").
    ``warm``: in this process's long-lived child when it is free (module doc)."""
    if not (LIMITED if limited is None else limited) or (warm and _INSIDE):
        return _run_in_process(func, args)
    if warm and _WARM_LOCK.acquire(blocking=False):
        try:
            return _run_warm(func, args, timeout_s, memory_mb, label)
        except _Retry:
            pass  # read again below, by a fresh child with the whole limit to itself
        finally:
            _WARM_LOCK.release()
    _reap_exiting()
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
        try:
            os.close(read_fd)
            _child(write_fd, func, args, timeout_s, memory_mb, parent)
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
        raise ParseError(f"{label} reading exceeded {_seconds(timeout_s)} s")
    message = _unpickle(payload)
    if message is None:  # it died without answering: its exit status says why
        raise ParseError(_death_reason(_reap(pid), timeout_s, memory_mb, label))
    _reap_later(pid)
    return _outcome(message, memory_mb, label)


# --- The warm child ------------------------------------------------------------------------


class _Retry(Exception):
    """The warm child ran out of memory: a fresh child reads the document again."""


class _Warm:
    def __init__(self, memory_mb: int):
        self.owner, self.memory_mb, self.jobs = os.getpid(), memory_mb, 0
        #: CPU seconds granted to its jobs so far: a bound on what it has spent.
        self.cpu_granted = 0
        to_child, self.request = os.pipe()
        self.reply, from_child = os.pipe()
        # The kernel's death signal follows the forking thread, not the process: a web
        # server's request thread ends after its request while the child serves others.
        death_signal = threading.current_thread() is threading.main_thread()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child
            try:
                os.close(self.request)
                os.close(self.reply)
                _serve(to_child, from_child, memory_mb, self.owner, death_signal)
            finally:
                os._exit(1)
        os.close(to_child)
        os.close(from_child)

    def usable(self, memory_mb: int, cpu_s: int) -> bool:
        # A child forked by another process (the parent of a forked worker) is not ours.
        return (self.owner == os.getpid() and self.memory_mb == memory_mb and self.jobs < WARM_JOBS
                and self.cpu_granted + cpu_s <= WARM_CPU_S)

    def dead(self) -> bool:
        """It died while idle (its parent thread ended, an operator's kill): reaped now."""
        try:
            return os.waitpid(self.pid, os.WNOHANG)[0] != 0
        except ChildProcessError:
            return True

    def close(self) -> None:
        """Closing its request pipe ends the child (it is reaped by a later run)."""
        for fd in (self.request, self.reply):
            with contextlib.suppress(OSError):
                os.close(fd)


_WARM: _Warm | None = None
#: One document at a time per warm child; a thread that finds it busy forks its own.
_WARM_LOCK = threading.Lock()


def _run_warm(func: Callable[..., R], args: tuple[Any, ...], timeout_s: float,
              memory_mb: int, label: str = "PDF") -> R:
    global _WARM
    _reap_exiting()
    cpu_s = _cpu_budget(timeout_s)
    if _WARM is not None and _WARM.owner == os.getpid() and _WARM.dead():
        _WARM.close()
        _WARM = None
    if _WARM is not None and not _WARM.usable(memory_mb, cpu_s):
        if _WARM.owner == os.getpid():
            _WARM.close()
            _EXITING.append(_WARM.pid)
        _WARM = None
    if _WARM is None:
        _WARM = _Warm(memory_mb)
    warm, deadline = _WARM, time.monotonic() + timeout_s
    warm.cpu_granted += cpu_s
    try:
        _write_all(warm.request, _framed(pickle.dumps((func, args, cpu_s), pickle.HIGHEST_PROTOCOL)))
        payload = _read_frame(warm.reply, deadline)
    except BaseException:  # interrupted, or the pipe broke: leave no child behind
        _WARM = None
        warm.close()
        _kill(warm.pid)
        raise
    warm.jobs += 1
    message = _unpickle(payload) if payload is not None else None
    if message is not None and message[0] != _MEMORY:
        return _outcome(message, memory_mb, label)
    _WARM = None
    warm.close()
    if message is not None:  # out of memory: the child leaves by itself
        _EXITING.append(warm.pid)
        raise _Retry
    if time.monotonic() >= deadline:
        _kill(warm.pid)
        raise ParseError(f"{label} reading exceeded {_seconds(timeout_s)} s")
    raise ParseError(_death_reason(_reap(warm.pid), timeout_s, memory_mb, label))


def _framed(data: bytes) -> bytes:
    return _LENGTH.pack(len(data)) + data


def _read_frame(fd: int, deadline: float | None) -> bytes | None:
    """One length-prefixed message, or None at the deadline or end of the pipe."""
    header = _read_exactly(fd, _LENGTH.size, deadline)
    if header is None:
        return None
    return _read_exactly(fd, _LENGTH.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes; None at the deadline (None: wait as long as it takes) or end of pipe."""
    chunks, wanted = [], size
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while wanted:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(max(1, math.ceil(remaining * 1000))):
                return None
        chunk = os.read(fd, min(wanted, _CHUNK))
        if not chunk:
            return None
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _serve(requests: int, replies: int, memory_mb: int, parent: int,
           death_signal: bool) -> None:  # pragma: no cover - child only
    """The warm child: read a request, answer it, until the parent closes the pipe."""
    global _INSIDE
    _INSIDE = True
    faulthandler.disable()
    _die_with_parent(parent, watch=True, death_signal=death_signal)
    _close_inherited(keep={requests, replies})
    _lower_limit(resource.RLIMIT_AS, *(2 * [_address_space_now() + memory_mb * _MB]))
    # The hard CPU limit bounds its whole life; the soft one is each job's (_arm_cpu).
    _lower_limit(resource.RLIMIT_CPU, WARM_CPU_S, WARM_CPU_S)
    while True:
        request = _read_frame(requests, None)
        if request is None:
            return
        spent = False
        try:
            func, args, cpu_s = pickle.loads(request)  # noqa: S301 - our own parent wrote it
            _arm_cpu(cpu_s)
            data = pickle.dumps((_OK, func(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            spent = True
        except BaseException as exc:
            data = _pickled_error(exc)
        if spent:
            # Answered after the handler: its traceback holds the job's frames, and so the
            # heap that ran out, until the handler ends.
            data = pickle.dumps((_MEMORY, ""))
        _write_all(replies, _framed(data))
        if spent:
            return  # its heap is used up: the parent starts another


def _arm_cpu(cpu_s: int) -> None:  # pragma: no cover - child only
    """A job may spend ``cpu_s`` CPU seconds from now; past them the kernel stops
    the child (SIGXCPU) even when no parent is left to enforce the deadline. The
    parent's grant accounting (_Warm.usable) keeps this under the hard limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(time.process_time()) + cpu_s
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _cpu_budget(timeout_s: float) -> int:
    return math.ceil(timeout_s) + 1


def _die_with_parent(parent: int, *, watch: bool,
                     death_signal: bool = True) -> None:  # pragma: no cover - child only
    """End this child when ``parent`` dies: by the kernel's parent-death signal
    where there is one (and ``death_signal``), else (``watch``) by a thread that
    looks for it."""
    if not (death_signal and _set_parent_death_signal()) and watch:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _set_parent_death_signal() -> bool:  # pragma: no cover - child only
    """SIGKILL on the parent's death (Linux prctl); False where it is not available.
    The signal follows the thread that forked: a child of a thread that ends dies
    too (a warm child is only given it when forked by the main thread)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:  # pragma: no cover - child only
    while os.getppid() == parent:
        time.sleep(_PARENT_WATCH_S)
    os._exit(1)


def _close_inherited(keep: set[int]) -> None:  # pragma: no cover - child only
    """Drop the parent's descriptors (database and broker sockets, files): a
    long-lived child holding them would keep connections the parent closed
    open on the server. Only this process's copies close."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def warm_stop() -> None:
    """End this process's warm child and wait for it (tests; a clean shutdown)."""
    global _WARM
    with _WARM_LOCK:
        if _WARM is not None and _WARM.owner == os.getpid():
            _WARM.close()
            _reap(_WARM.pid)
        _WARM = None
    _reap_exiting()


def _run_in_process(func: Callable[..., R], args: tuple[Any, ...]) -> R:
    try:
        return func(*args)
    except ParseError:
        raise
    except MemoryError:
        if _INSIDE:  # the limited child reports it, with its limit
            raise
        raise ParseError("reading ran out of memory") from None
    except Exception as exc:
        raise ParseError(_one_line(exc)) from exc


def _child(write_fd: int, func: Callable[..., Any], args: tuple[Any, ...],
           timeout_s: float, memory_mb: int, parent: int) -> None:  # pragma: no cover - child only
    global _INSIDE
    _INSIDE = True
    # A crash inside the reader is reported as one line by the parent; a
    # faulthandler dump of the inherited stack would only add noise to logs.
    faulthandler.disable()
    _die_with_parent(parent, watch=False)  # its CPU limit ends it anyway
    # The child lives for one document and is killed by its memory limit if it
    # grows: no collector passes, which would touch (and so copy) every page
    # the child shares with its parent.
    gc.disable()
    data = b""
    try:
        _set_limits(timeout_s, memory_mb)
        message: tuple[str, Any] = (_OK, func(*args))
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        pass  # answered below, once the handler's traceback no longer holds the heap
    except BaseException as exc:  # everything must reach the parent, as text
        data = _pickled_error(exc)
    if not data:
        data = pickle.dumps((_MEMORY, ""))
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
    cpu = _cpu_budget(timeout_s)
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


def _outcome(message: tuple[str, Any], memory_mb: int, label: str = "PDF") -> Any:
    kind, value = message
    if kind == _OK:
        return value
    if kind == _MEMORY:
        raise ParseError(f"{label} reading ran out of memory ({memory_mb} MB limit)")
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


def _death_reason(status: int, timeout_s: float, memory_mb: int, label: str = "PDF") -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in _CPU_SIGNALS:
            return f"{label} reading exceeded {_seconds(timeout_s)} s"
        return f"{label} reader crashed (signal {number})"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
        return f"{label} reader crashed (exit status {os.WEXITSTATUS(status)})"
    # A child that exits cleanly without a message could not even pickle one:
    # with a limit on its address space that is almost always memory.
    return f"{label} reading ran out of memory ({memory_mb} MB limit)"


def _seconds(timeout_s: float) -> str:
    return f"{timeout_s:g}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
