"""The Predict page's way to the server's inference worker: a place in line, then its own answer."""

from __future__ import annotations

import streamlit as st
from PIL import Image

from models.runtime import BuiltModel
from models.serving import Answer, InferenceJob, ServerBusyError, worker_for

WAIT_S = 300.0  # a job this old is stuck, not queued: say so rather than hang the page


def queued_answer(built: BuiltModel, images: list[tuple[str, Image.Image]], topk: int,
                  cam_method: str | None) -> Answer | None:
    """This session's images through the shared worker (batched with other sessions' at the same
    moment); None, with a message, when the queue is full or the job fails."""
    try:
        ticket = worker_for(built.device).submit(InferenceJob(built, tuple(images), topk, cam_method))
    except ServerBusyError as error:
        st.error(str(error))
        return None
    line = (f"The server is busy: your image is number {ticket.position} in line…" if ticket.position > 1
            else "Predicting…")
    with st.spinner(line):
        try:
            return ticket.result(WAIT_S)
        except TimeoutError:
            st.error(f"No answer after {WAIT_S:.0f} s: the server is overloaded. Please try again.")
        except Exception as error:  # noqa: BLE001 — this job's own failure, shown as one message
            st.error(f"The prediction failed: {error}")
    return None
