"""The heavy-work queue: one run at a time in arrival order, identical requests shared, a failing
run fails only its own callers, a full line refuses at once. Work is held on events, never on time."""

import threading

import pytest

from models.jobs import JobQueue, QueueFullError


def _held(log: list, name: str, gate: threading.Event, started: threading.Event | None = None):
    def work(report):
        if started is not None:
            started.set()
        report(f"{name} started")
        assert gate.wait(30)
        log.append(name)
        return name.upper()
    return work


def test_jobs_run_one_at_a_time_in_arrival_order_and_report_positions():
    queue, log, gate, started = JobQueue(), [], threading.Event(), threading.Event()
    first = queue.submit("a", _held(log, "a", gate, started))
    assert started.wait(30)
    second = queue.submit("b", _held(log, "b", gate))
    third = queue.submit("c", _held(log, "c", gate))
    assert (queue.position(first), queue.position(second), queue.position(third)) == (0, 1, 2)
    assert first.state == "running" and second.state == third.state == "queued"
    assert first.progress() == ["a started"]
    gate.set()
    assert [job.wait(30) for job in (first, second, third)] == ["A", "B", "C"]
    assert log == ["a", "b", "c"]
    assert queue.position(third) == 0


def test_identical_requests_share_one_run_and_a_finished_one_answers_again():
    queue, calls, gate = JobQueue(), [], threading.Event()
    one = queue.submit(("vgg", "resnet", 0), _held(calls, "run", gate))
    two = queue.submit(("vgg", "resnet", 0), _held(calls, "run again", gate))
    assert one is two
    gate.set()
    assert one.wait(30) == "RUN"
    assert queue.submit(("vgg", "resnet", 0), _held(calls, "third", gate)) is one
    assert queue.find(("vgg", "resnet", 0)) is one
    assert calls == ["run"]


def test_a_failing_run_fails_only_its_own_callers_and_may_be_retried():
    queue = JobQueue()

    def broken(report):
        raise ValueError("diverged")

    failed = queue.submit("broken", broken)
    fine = queue.submit("fine", lambda report: 42)
    with pytest.raises(ValueError, match="diverged"):
        failed.wait(30)
    assert failed.state == "failed"
    assert fine.wait(30) == 42
    assert queue.find("broken") is None
    assert queue.submit("broken", lambda report: "ok").wait(30) == "ok"


def test_a_full_line_refuses_clearly_and_keeps_what_is_queued():
    queue, log, gate, started = JobQueue(max_waiting=2), [], threading.Event(), threading.Event()
    running = queue.submit("running", _held(log, "running", gate, started))
    assert started.wait(30)
    waiting = [queue.submit(name, _held(log, name, gate)) for name in ("w1", "w2")]
    with pytest.raises(QueueFullError, match="busy: 2 runs are already waiting"):
        queue.submit("w3", _held(log, "w3", gate))
    gate.set()
    assert [job.wait(30) for job in (running, *waiting)] == ["RUNNING", "W1", "W2"]


def test_finished_jobs_kept_are_bounded():
    queue = JobQueue(keep_finished=2)
    for key in range(4):
        queue.submit(key, lambda report, key=key: key).wait(30)
    assert queue.find(0) is None and queue.find(1) is None
    assert queue.find(3).result == 3
