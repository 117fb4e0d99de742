"""Serving many sessions at once: one inference worker per device that batches their requests."""

from models.serving.batcher import Answer, InferenceJob, InferenceWorker, ServerBusyError, Ticket, run_jobs
from models.serving.workers import worker_for

__all__ = ["Answer", "InferenceJob", "InferenceWorker", "ServerBusyError", "Ticket", "run_jobs", "worker_for"]
