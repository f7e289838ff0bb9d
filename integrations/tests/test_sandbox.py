"""The forked, resource-limited runner that PDF reading goes through."""

from __future__ import annotations

import multiprocessing
import os
import signal
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
