"""The inference worker on a local Ray Serve deployment answers as the in-process worker does: the
same top-k labels and probabilities and the same CAM, each request its own, and a broken request
fails only its caller. One deployment for the module (Ray's start costs seconds), shut down at the end."""

import threading

import numpy as np
import pytest

serve = pytest.importorskip("ray.serve", reason="Ray Serve is an optional extra: pip install -r requirements-ray.txt")
import ray  # noqa: E402

from models import runtime  # noqa: E402
from models.prediction.loading import default_choice  # noqa: E402
from models.prediction.samples import sample_digit, sample_image  # noqa: E402
from models.registry import digit_model  # noqa: E402
from models.serving import InferenceJob, ServerBusyError, run_jobs  # noqa: E402
from models.weights import UNTRAINED, Pretrained  # noqa: E402
from models.serving.ray_worker import RayServeWorker, RemoteJob  # noqa: E402


@pytest.fixture(scope="module")
def ray_worker(tmp_path_factory):
    """A local Ray (2 CPUs, a small object store, no dashboard) serving one replica, offline, started
    by the worker itself."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LINEAGE_OFFLINE", "1")
        env.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("ray-torch-home")))
        env.setenv("RAY_DISABLE_IMPORT_WARNING", "1")
        env.setenv("RAY_memory_monitor_refresh_ms", "0")  # the shared machine's load is not this test's to police
        env.setenv("LINEAGE_TORCH_THREADS", "1")
        made = []
        # made on a thread that then ends, as a Streamlit session's script thread does: Ray must outlive it
        starter = threading.Thread(target=lambda: made.append(RayServeWorker(
            window_s=0.05, max_waiting=32, max_batch_images=16,
            ray_init={"num_cpus": 2, "object_store_memory": 100 * 2**20, "log_to_driver": False})))
        starter.start()
        starter.join()
        (worker,) = made
        yield worker
        worker.close()
        serve.shutdown()
        ray.shutdown()


def all_at_once(worker, jobs):
    """Submit every job before waiting on any, so they can share Ray Serve's batches."""
    tickets = [worker.submit(job) for job in jobs]
    return [ticket.result(300) for ticket in tickets]


def assert_same_prediction(remote, local):
    assert remote.image == local.image and remote.trained == local.trained
    assert remote.weights_label == local.weights_label
    assert [t.index for t in remote.top] == [t.index for t in local.top]
    assert [t.label for t in remote.top] == [t.label for t in local.top]
    np.testing.assert_allclose([t.prob for t in remote.top], [t.prob for t in local.top], atol=1e-5)


def test_digits_through_ray_serve_get_the_in_process_answers(ray_worker):
    spec = digit_model()
    reader = runtime.build_model(spec.id, "cpu", default_choice(spec))  # its shipped, trained weights
    jobs = [InferenceJob(reader, ((f"student {d}", sample_digit(d)),), topk=3) for d in range(10)]
    remote = all_at_once(ray_worker, jobs)
    for job, answer in zip(jobs, remote):
        (local,) = run_jobs([job])[0].predictions
        assert_same_prediction(answer.predictions[0], local)
        assert answer.cams == (None,)
    assert [a.predictions[0].top[0].label for a in remote] == [str(d) for d in range(10)]  # each its own digit


def test_photos_with_grad_cam_through_ray_serve_get_the_in_process_maps(ray_worker):
    resnet = runtime.build_model("resnet18", "cpu")  # untrained, from its seed: the replica builds the same
    jobs = [InferenceJob(resnet, ((name, sample_image(name)),), topk=5, cam_method="Grad-CAM")
            for name in ("chelsea", "coffee", "rocket")]
    remote = all_at_once(ray_worker, jobs)
    for job, answer in zip(jobs, remote):
        local = run_jobs([job])[0]
        assert_same_prediction(answer.predictions[0], local.predictions[0])
        (cam,), (expected,) = answer.cams, local.cams
        assert (cam.method, cam.layer, cam.target_class) == (expected.method, expected.layer, expected.target_class)
        np.testing.assert_allclose(cam.heatmap, expected.heatmap, atol=1e-3)
    assert not np.allclose(remote[0].cams[0].heatmap, remote[1].cams[0].heatmap, atol=1e-3)  # three different maps


def test_a_broken_request_fails_only_its_caller(ray_worker):
    spec = digit_model()
    reader = runtime.build_model(spec.id, "cpu", default_choice(spec))
    good = ray_worker.submit(InferenceJob(reader, (("good", sample_digit(7)),), topk=1))
    broken = ray_worker.submit(InferenceJob(reader, (("broken", "not an image"),), topk=1))
    assert good.result(300).predictions[0].top[0].label == "7"
    with pytest.raises(Exception) as raised:
        broken.result(300)
    assert not isinstance(raised.value, (ServerBusyError, ray.exceptions.RayError))  # its own error, unwrapped
    assert ray_worker.submit(InferenceJob(reader, (("after", sample_digit(2)),))).result(300).predictions[0].top[0].label == "2"


def test_a_remote_job_names_the_weights_its_model_was_built_from():
    spec = digit_model()
    shipped = runtime.build_model(spec.id, "cpu", default_choice(spec))
    untrained = runtime.build_model(spec.id, "cpu", UNTRAINED)
    remote = RemoteJob.of(InferenceJob(shipped, (("three", sample_digit(3)),), topk=2))
    assert (remote.model_id, remote.topk, remote.cam_method) == ("lenet5", 2, None)
    assert isinstance(remote.weights, Pretrained) and shipped.trained  # the replica builds the trained model too
    assert RemoteJob.of(InferenceJob(untrained, (("three", sample_digit(3)),))).weights == UNTRAINED
