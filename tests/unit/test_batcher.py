"""The inference worker: jobs of many sessions batched, each answered with its own images' results
(equal to predicting that image alone), oldest first, a broken job failing alone, a full queue refused.

The worker is held on a first "gate" job while the others queue, so what shares a batch never
depends on timing."""

import sys
import threading

import numpy as np
import pytest
import torch

from models import runtime
from models.prediction.cam import compute_cam, compute_cams
from models.prediction.inference import predict
from models.prediction.loading import default_choice
from models.registry import digit_model
from models.prediction.samples import sample_digit, sample_image
from models.serving import InferenceJob, InferenceWorker, ServerBusyError, run_jobs, settings, workers


@pytest.fixture(scope="module")
def reader():
    """LeNet-5 with its shipped weights: trained, so each digit has its own answer."""
    spec = digit_model()
    return runtime.build_model(spec.id, "cpu", default_choice(spec))


class Gate:
    """A run function that records each batch (the first image name of each job) and holds the
    worker inside the batch whose first job is named 'gate' until released."""

    def __init__(self) -> None:
        self.entered, self.release, self.batches = threading.Event(), threading.Event(), []

    def __call__(self, jobs):
        names = [job.images[0][0] for job in jobs]
        self.batches.append(names)
        if names[0] == "gate":
            self.entered.set()
            assert self.release.wait(30)
        return run_jobs(jobs)


def job(built, name, image, **extra) -> InferenceJob:
    return InferenceJob(built, ((name, image),), **extra)


def held_worker(built, **settings):
    gate = Gate()
    worker = InferenceWorker(window_s=0, run=gate, **settings)
    gate_ticket = worker.submit(job(built, "gate", sample_digit(0), topk=1))
    assert gate.entered.wait(30)
    return worker, gate, gate_ticket


def test_each_session_gets_its_own_images_answer_from_one_batch(reader):
    worker, gate, _ = held_worker(reader)
    digits = [(f"student {d}", sample_digit(d)) for d in range(10)]
    tickets = [worker.submit(job(reader, name, image, topk=3)) for name, image in digits]
    gate.release.set()
    answers = [ticket.result(60) for ticket in tickets]
    worker.close()
    assert gate.batches == [["gate"], [name for name, _ in digits]]  # the ten shared one pass
    for (name, image), answer in zip(digits, answers):
        alone = predict(reader, [(name, image)], topk=3)[0]
        (batched,) = answer.predictions
        assert batched.image == name
        assert [t.index for t in batched.top] == [t.index for t in alone.top]
        np.testing.assert_allclose([t.prob for t in batched.top], [t.prob for t in alone.top], atol=1e-5)
    assert [a.predictions[0].top[0].label for a in answers] == [str(d) for d in range(10)]  # and they differ


def test_oldest_job_first_and_only_same_model_and_method_share_a_batch(reader):
    worker, gate, _ = held_worker(reader)
    tickets = [worker.submit(job(reader, "a", sample_digit(1))),
               worker.submit(job(reader, "b", sample_digit(2), cam_method="Grad-CAM")),
               worker.submit(job(reader, "c", sample_digit(3)))]
    assert [t.position for t in tickets] == [1, 2, 3]
    gate.release.set()
    answers = [ticket.result(60) for ticket in tickets]
    worker.close()
    assert gate.batches == [["gate"], ["a", "c"], ["b"]]
    assert answers[0].cams == (None,) and answers[1].cams[0].method == "Grad-CAM"


def test_a_broken_job_fails_only_its_own_caller(reader):
    worker, gate, _ = held_worker(reader)
    good = worker.submit(job(reader, "good", sample_digit(7)))
    broken = worker.submit(job(reader, "broken", "not an image"))
    gate.release.set()
    assert good.result(60).predictions[0].top[0].label == "7"
    with pytest.raises(Exception) as raised:
        broken.result(60)
    assert not isinstance(raised.value, ServerBusyError)
    worker.close()
    assert gate.batches[1:] == [["good", "broken"], ["good"], ["broken"]]  # the shared pass failed; then each alone


def test_a_full_queue_refuses_at_once_and_says_so(reader):
    worker, gate, _ = held_worker(reader, max_waiting=2)
    waiting = [worker.submit(job(reader, f"s{i}", sample_digit(i))) for i in range(2)]
    with pytest.raises(ServerBusyError, match="busy: 2 requests are already waiting"):
        worker.submit(job(reader, "one too many", sample_digit(5)))
    gate.release.set()
    assert [t.result(60).predictions[0].image for t in waiting] == ["s0", "s1"]
    worker.close()


def test_a_batched_cam_equals_each_images_own():
    torch.manual_seed(0)
    spec = runtime.get_spec("resnet18")
    built = runtime._build(spec, "cpu", runtime.resolve(spec, runtime.UNTRAINED), runtime.UNTRAINED)
    photos = [sample_image(name) for name in ("chelsea", "coffee", "rocket")]
    together = compute_cams(built, photos)
    for photo, cam in zip(photos, together):
        alone = compute_cam(built, photo)
        assert cam.target_class == alone.target_class
        np.testing.assert_allclose(cam.heatmap, alone.heatmap, atol=1e-3)
    assert not np.allclose(together[0].heatmap, together[1].heatmap, atol=1e-3)  # three different maps


def test_the_worker_runs_torch_on_the_thread_count_it_is_given(reader):
    before = torch.get_num_threads()
    wanted = 1 if before != 1 else 2  # differs from the process's count, so the worker must have set it
    seen = []

    def run(jobs):
        seen.append(torch.get_num_threads())
        return run_jobs(jobs)

    worker = InferenceWorker(window_s=0, run=run, torch_threads=wanted)
    try:
        assert worker.submit(job(reader, "one", sample_digit(1))).result(60).predictions[0].top[0].label == "1"
    finally:
        worker.close()
        torch.set_num_threads(before)
    assert seen == [wanted]


@pytest.mark.parametrize(("cores", "variable", "threads"), [(2, None, 1), (1, None, 1), (16, None, 15), (16, "4", 4)])
def test_torch_threads_leave_a_core_to_the_server_unless_told(monkeypatch, cores, variable, threads):
    monkeypatch.setattr(settings.os, "cpu_count", lambda: cores)
    if variable is None:
        monkeypatch.delenv("LINEAGE_TORCH_THREADS", raising=False)
    else:
        monkeypatch.setenv("LINEAGE_TORCH_THREADS", variable)
    assert settings.torch_threads() == threads


def test_the_servers_worker_gets_the_configured_threads_and_bad_settings_are_clear(monkeypatch):
    monkeypatch.setattr(workers, "_workers", {})
    monkeypatch.setenv("LINEAGE_TORCH_THREADS", "3")
    monkeypatch.setenv("LINEAGE_MAX_BATCH", "8")
    worker = workers.worker_for("cpu")
    try:
        assert isinstance(worker, InferenceWorker) and worker is workers.worker_for("cpu")
        assert (worker.torch_threads, worker.max_batch_images) == (3, 8)
    finally:
        worker.close()
    monkeypatch.setenv("LINEAGE_INFERENCE", "spark")
    with pytest.raises(ValueError, match="LINEAGE_INFERENCE must be one of local, ray, not 'spark'"):
        workers.worker_for("cpu")
    monkeypatch.setenv("LINEAGE_TORCH_THREADS", "many")
    with pytest.raises(ValueError, match="LINEAGE_TORCH_THREADS must be a number, not 'many'"):
        settings.torch_threads()


def test_top_k_with_a_cam_take_one_forward_and_equal_each_alone():
    spec = runtime.get_spec("resnet18")
    built = runtime._build(spec, "cpu", runtime.resolve(spec, runtime.UNTRAINED), runtime.UNTRAINED)  # private: hooked here
    forwards = []
    built.model.register_forward_pre_hook(lambda module, args: forwards.append(args[0].shape[0]))
    photos = [(name, sample_image(name)) for name in ("chelsea", "rocket")]
    answers = run_jobs([job(built, name, image, topk=5, cam_method="Grad-CAM") for name, image in photos])
    assert forwards == [2]  # the CAM's forward gave the top-k too (its private copy keeps the hook)
    forwards.clear()
    for (name, image), answer in zip(photos, answers):
        alone = predict(built, [(name, image)], topk=5)[0]
        (together,) = answer.predictions
        assert [t.index for t in together.top] == [t.index for t in alone.top]
        np.testing.assert_allclose([t.prob for t in together.top], [t.prob for t in alone.top], atol=1e-5)
        assert answer.cams[0].target_class == alone.top[0].index


def test_asking_for_ray_without_the_extra_says_what_to_install(monkeypatch):
    monkeypatch.setattr(workers, "_workers", {})
    monkeypatch.setenv("LINEAGE_INFERENCE", "ray")
    monkeypatch.setitem(sys.modules, "ray", None)  # as if requirements-ray.txt was never installed
    monkeypatch.delitem(sys.modules, "models.serving.ray_worker", raising=False)
    with pytest.raises(RuntimeError, match=r"needs Ray Serve.*pip install -r requirements-ray.txt"):
        workers.worker_for("cpu")


def test_each_batch_logs_how_long_its_jobs_took_from_queued_to_answered(reader):
    import logging

    from models.serving import batcher

    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    batcher.LOGGER.addHandler(handler)
    try:
        worker, gate, gate_ticket = held_worker(reader)
        tickets = [worker.submit(job(reader, f"d{d}", sample_digit(d))) for d in (1, 2)]
        gate.release.set()
        [ticket.result(60) for ticket in (gate_ticket, *tickets)]
        worker.close()
    finally:
        batcher.LOGGER.removeHandler(handler)
    assert lines[0].startswith("batch of 1 jobs (1 images) for lenet5: ran in ")
    assert lines[1].startswith("batch of 2 jobs (2 images) for lenet5: ran in ")
    waits = [float(w) for w in lines[1].rsplit("answered ", 1)[1].removesuffix(" s").split()]
    ran = float(lines[1].split("ran in ")[1].split(" s;")[0])
    assert len(waits) == 2 and all(wait >= ran for wait in waits)  # they waited through the gate's batch too
