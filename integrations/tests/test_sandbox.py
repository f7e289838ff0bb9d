"""The forked, resource-limited runner that PDF reading goes through."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from decimal import Decimal

import pytest

from integrations.parsers import sandbox
from integrations.parsers.draft import ParseError


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def _fail(message: str) -> None:
    raise ValueError(message)


def _parse_error(message: str) -> None:
    raise ParseError(message)


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _exit_quietly() -> None:
    os._exit(3)


def _pid() -> int:
    return os.getpid()


def _big_result(size: int) -> bytes:
    return b"x" * size


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
def _no_warm_child():
    """Each test starts and ends without this process's warm child (PDF tests leave one)."""
    sandbox.warm_stop()
    yield
    sandbox.warm_stop()


def test_return_values_round_trip() -> None:
    result = sandbox.run_limited(lambda a, b: {"sum": a + b, "items": [Decimal("1.5")]}, 2, 3)
    assert result == {"sum": 5, "items": [Decimal("1.5")]}


def test_the_function_runs_in_another_process() -> None:
    assert sandbox.run_limited(_pid) != os.getpid()


def test_results_larger_than_a_pipe_buffer_arrive_whole() -> None:
    assert sandbox.run_limited(_big_result, 3_000_000) == b"x" * 3_000_000


def test_a_function_that_hangs_is_killed_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(ParseError, match=r"^PDF reading exceeded 1 s$"):
        sandbox.run_limited(_sleep, 30, timeout_s=1)
    assert time.monotonic() - started < 5


def test_allocating_beyond_the_memory_limit_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^PDF reading ran out of memory \(256 MB limit\)$"):
        sandbox.run_limited(_allocate, 2048, memory_mb=256)


def test_allocating_within_the_limit_succeeds() -> None:
    assert sandbox.run_limited(_allocate, 64, memory_mb=256) == 64 * 1024 * 1024


def test_an_exception_becomes_a_parse_error_with_its_message() -> None:
    with pytest.raises(ParseError, match=r"^bad cross-reference table$"):
        sandbox.run_limited(_fail, "bad cross-reference table")


def test_a_multi_line_message_is_folded_onto_one_line() -> None:
    with pytest.raises(ParseError, match=r"^first second$"):
        sandbox.run_limited(_fail, "first\n  second")


def test_a_parse_error_keeps_its_message() -> None:
    with pytest.raises(ParseError, match=r"^too many pages$"):
        sandbox.run_limited(_parse_error, "too many pages")


def test_a_crash_by_signal_is_reported() -> None:
    with pytest.raises(ParseError, match=r"^PDF reader crashed \(signal 11\)$"):
        sandbox.run_limited(_crash)


def test_a_child_that_exits_without_an_answer_is_reported() -> None:
    with pytest.raises(ParseError, match=r"^PDF reader crashed \(exit status 3\)$"):
        sandbox.run_limited(_exit_quietly)


def test_no_child_is_left_behind() -> None:
    for call in (lambda: sandbox.run_limited(_sleep, 30, timeout_s=0.3), lambda: sandbox.run_limited(_crash)):
        with pytest.raises(ParseError):
            call()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_child_that_answered_is_reaped_by_the_next_run_at_the_latest() -> None:
    # The answer arrives before the child has finished exiting; nobody waits
    # for that, and no zombie outlives the next run.
    first = sandbox.run_limited(_pid)
    second = sandbox.run_limited(_pid)
    assert first != second
    assert first not in sandbox._EXITING and len(sandbox._EXITING) <= 1
    sandbox._reap_exiting()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_switched_off_it_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "LIMITED", False)
    assert sandbox.run_limited(_pid) == os.getpid()
    with pytest.raises(ParseError, match=r"^broken$"):
        sandbox.run_limited(_fail, "broken")


def test_the_parameter_overrides_the_module_switch() -> None:
    assert sandbox.run_limited(_pid, limited=False) == os.getpid()


def _in_daemon(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        queue.put(sandbox.run_limited(_double, 21))
    except Exception as exc:  # the assertion in the parent shows what went wrong
        queue.put(repr(exc))


def _double(value: int) -> int:
    return value * 2


def test_works_inside_a_daemonic_worker_process() -> None:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    worker = multiprocessing.Process(target=_in_daemon, args=(queue,), daemon=True)
    worker.start()
    try:
        assert queue.get(timeout=20) == 42
    finally:
        worker.join(timeout=20)


def test_an_interrupted_wait_kills_and_reaps_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int, deadline: float) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(sandbox, "_read_until", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sandbox.run_limited(_sleep, 30)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


# --- The warm child: one long-lived reader per process ----------------------------------------


def test_a_warm_child_reads_document_after_document() -> None:
    first = sandbox.run_limited(_pid, warm=True)
    assert first != os.getpid()
    assert sandbox.run_limited(_pid, warm=True) == first
    assert sandbox.run_limited(_big_result, 3_000_000, warm=True) == b"x" * 3_000_000
    # Failures of the document are answers, not deaths: the child stays.
    with pytest.raises(ParseError, match=r"^bad cross-reference table$"):
        sandbox.run_limited(_fail, "bad cross-reference table", warm=True)
    assert sandbox.run_limited(_pid, warm=True) == first


def test_a_warm_child_holds_none_of_the_callers_descriptors(tmp_path) -> None:
    held = [open(tmp_path / f"f{n}", "w") for n in range(5)]  # noqa: SIM115 - held open on purpose
    try:
        # stdin/out/err and its two pipes (and the descriptor listing itself).
        assert sandbox.run_limited(_open_descriptors, warm=True) <= 6
    finally:
        for handle in held:
            handle.close()


def test_a_warm_child_past_its_deadline_is_killed_and_replaced() -> None:
    first = sandbox.run_limited(_pid, warm=True)
    with pytest.raises(ParseError, match=r"^PDF reading exceeded 0.5 s$"):
        sandbox.run_limited(_sleep, 30, timeout_s=0.5, warm=True)
    second = sandbox.run_limited(_pid, warm=True)
    assert second != first
    with pytest.raises(ChildProcessError):
        os.waitpid(first, os.WNOHANG)


def test_a_crashed_warm_child_is_reported_and_replaced() -> None:
    first = sandbox.run_limited(_pid, warm=True)
    with pytest.raises(ParseError, match=r"^PDF reader crashed \(signal 11\)$"):
        sandbox.run_limited(_crash, warm=True)
    assert sandbox.run_limited(_pid, warm=True) not in (first, os.getpid())


def test_out_of_memory_in_the_warm_child_is_read_again_by_a_fresh_child(monkeypatch) -> None:
    runs = []
    original = sandbox._run_warm

    def counting(*args):
        runs.append("warm")
        return original(*args)

    monkeypatch.setattr(sandbox, "_run_warm", counting)
    with pytest.raises(ParseError, match=r"^PDF reading ran out of memory \(256 MB limit\)$"):
        sandbox.run_limited(_allocate, 2048, memory_mb=256, warm=True)
    assert runs == ["warm"]  # then the cold child, which failed alike
    assert sandbox.run_limited(_allocate, 64, memory_mb=256, warm=True) == 64 * 1024 * 1024


def test_a_warm_child_is_replaced_after_its_share_of_documents(monkeypatch) -> None:
    monkeypatch.setattr(sandbox, "WARM_JOBS", 2)
    pids = [sandbox.run_limited(_pid, warm=True) for _ in range(4)]
    assert pids[0] == pids[1] != pids[2] == pids[3]


def test_a_busy_warm_child_makes_another_thread_fork_its_own() -> None:
    with sandbox._WARM_LOCK:  # another thread is reading with it
        assert sandbox.run_limited(_pid, warm=True) != os.getpid()
        assert sandbox._WARM is None


def test_no_warm_child_outlives_its_stop() -> None:
    sandbox.run_limited(_pid, warm=True)
    sandbox.warm_stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


# --- A warm child never outlives its worker (issue 13) ------------------------------------------


def _burn() -> None:
    while True:
        pass


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie its new parent (init) has not reaped yet."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def _worker_with_a_busy_warm_child(report: int) -> None:  # pragma: no cover - forked worker
    """A worker whose warm child is burning CPU on a job when the worker is killed."""
    try:
        os.write(report, str(sandbox.run_limited(_pid, timeout_s=1, warm=True)).encode() + b"\n")
        sandbox.run_limited(_burn, timeout_s=1, warm=True)
    finally:
        os._exit(0)


def _orphan_of_a_killed_worker() -> int:
    """Kill a worker while its warm child runs a job; the warm child's pid."""
    read_fd, write_fd = os.pipe()
    worker = os.fork()
    if worker == 0:  # pragma: no cover - the forked worker
        os.close(read_fd)
        _worker_with_a_busy_warm_child(write_fd)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as report:
        warm = int(report.readline())
    time.sleep(0.3)  # the burning job has started
    os.kill(worker, signal.SIGKILL)
    os.waitpid(worker, 0)
    return warm


def _ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return _gone(pid)


@pytest.mark.parametrize("death_signal", [True, False], ids=["prctl", "parent-pid-watch"])
def test_killing_the_worker_ends_its_busy_warm_child(monkeypatch, death_signal: bool) -> None:
    if not death_signal:  # a kernel without PR_SET_PDEATHSIG: the child watches its parent
        monkeypatch.setattr(sandbox, "_set_parent_death_signal", lambda: False)
    warm = _orphan_of_a_killed_worker()
    # Its one-second job's CPU limit would end it only after two seconds.
    assert _ends_within(warm, 1.5)


def test_an_orphaned_warm_child_is_stopped_by_its_cpu_limit(monkeypatch) -> None:
    # Neither the death signal nor the watch: the job's CPU limit alone ends it.
    monkeypatch.setattr(sandbox, "_die_with_parent", lambda parent, **kwargs: None)
    warm = _orphan_of_a_killed_worker()
    assert not _gone(warm)  # still burning, with nobody left to enforce the deadline
    assert _ends_within(warm, 10)


def test_the_warm_childs_cpu_limit_is_armed_for_each_job() -> None:
    pid = sandbox.run_limited(_pid, timeout_s=5, warm=True)
    with open(f"/proc/{pid}/limits", encoding="ascii") as handle:
        line = next(text for text in handle if text.startswith("Max cpu time"))
    soft, hard = line.split()[3:5]
    assert int(soft) <= 5 + 1 + 1 and int(hard) == sandbox.WARM_CPU_S


def test_a_warm_child_is_replaced_before_its_jobs_could_pass_its_cpu_cap(monkeypatch) -> None:
    monkeypatch.setattr(sandbox, "WARM_CPU_S", 5)
    pids = [sandbox.run_limited(_pid, timeout_s=1, warm=True) for _ in range(3)]  # 2 CPU s each
    assert pids[0] == pids[1] != pids[2]


def test_a_warm_child_that_died_while_idle_is_replaced_without_a_failure() -> None:
    first = sandbox.run_limited(_pid, warm=True)
    os.kill(first, signal.SIGKILL)
    time.sleep(0.1)
    second = sandbox.run_limited(_pid, warm=True)
    assert second not in (first, os.getpid())


def _warm_pid_from_a_thread() -> int:
    found: list[int] = []
    thread = threading.Thread(target=lambda: found.append(sandbox.run_limited(_pid, warm=True)))
    thread.start()
    thread.join()
    return found[0]


def test_a_warm_child_forked_by_a_thread_outlives_the_thread() -> None:
    # The kernel's death signal would fire when the forking thread ends (a web server's
    # request thread); such a child watches its parent process instead.
    first = _warm_pid_from_a_thread()
    time.sleep(0.2)
    assert not _gone(first)
    assert sandbox.run_limited(_pid, warm=True) == first
