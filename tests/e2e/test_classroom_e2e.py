"""Four students predict at once, each with a different photo: each sees an answer for its own
photo only (the inference worker batches them, and must never hand one session another's result)."""

import pytest

from tests.e2e.students import photo_name, run_class, write_photos

pytestmark = pytest.mark.e2e


def test_four_students_at_once_each_see_their_own_answer(server, tmp_path):
    answers, _ = run_class(f"{server}/Predict?model=resnet18", write_photos(tmp_path, 4))
    for answer in answers:
        assert answer.error is None, answer.error
        assert answer.shown == (photo_name(answer.student),)
