"""The Predict page's way to the server's inference worker: a place in line, then its own answer."""

from __future__ import annotations

import streamlit as st
from PIL import Image

from models.runtime import BuiltModel
from models.serving import Answer, InferenceJob, ServerBusyError, worker_for
from ui.i18n import t, tr

WAIT_S = 300.0  # a job this old is stuck, not queued: say so rather than hang the page


def queued_answer(built: BuiltModel, images: list[tuple[str, Image.Image]], topk: int,
                  cam_method: str | None) -> Answer | None:
    """This session's images through the shared worker (batched with other sessions' at the same
    moment); None, with a message, when the queue is full or the job fails."""
    try:
        ticket = worker_for(built.device).submit(InferenceJob(built, tuple(images), topk, cam_method))
    except ServerBusyError as error:
        st.error(tr(error))
        return None
    line = (t("The server is busy: your image is number {position} in line…", position=ticket.position)
            if ticket.position > 1 else t("Predicting…"))
    # A static box, not st.spinner: measured in headless Chromium, a page with a spinner used 8 % of
    # a core while it waited, against 3 % without. The class bench's browsers share the server's two
    # cores, so sixteen spinners took their time from the answers they were waiting for.
    waiting = st.empty()
    waiting.info(line, icon=":material/hourglass_top:")
    try:
        return ticket.result(WAIT_S)
    except TimeoutError:
        st.error(t("No answer after {seconds:.0f} s: the server is overloaded. Please try again.", seconds=WAIT_S))
    except Exception as error:  # noqa: BLE001 — this job's own failure, shown as one message
        st.error(t("The prediction failed: {error}", error=tr(error)))
    finally:
        waiting.empty()
    return None
