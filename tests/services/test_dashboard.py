"""The dashboard's wording of a score: the distance to the refusal threshold in words."""

import pytest

from app.services.dashboard import distance_in_words


@pytest.mark.parametrize(
    ("distance", "words"),
    [
        (-0.07, "7.0 points below the refusal threshold"),
        (0.123, "12.3 points above the refusal threshold"),
        (0.0001, "exactly at the refusal threshold"),
    ],
)
def test_distance_in_words(distance, words):
    assert distance_in_words(distance) == words
