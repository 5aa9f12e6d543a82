"""Classes of wording behind the misses left on sets 20-26 and found on round 7's dev sets
(issue 9, round 7), in our own words.

Each case is a class, not a sentence from a set. Each class also has cases that must not be
read.
"""

from __future__ import annotations

from datetime import date

import pytest

from backstride.reader import read_story

TODAY = date(2026, 12, 1)  # a Tuesday

DURATIONS = ("duration_over_2_weeks", "duration_over_6_weeks", "duration_over_3_months")
RECENT = (False, False, False)


def answers(text: str) -> dict[str, bool]:
    return read_story(text, today=TODAY).evidence().as_dict()


def durations(text: str) -> tuple[bool | None, ...]:
    got = answers(text)
    return tuple(got.get(f) for f in DURATIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a point in time in a sentence that states a symptom dates it, whatever the words
        ("Since Friday I can't lift my left foot off the floor properly.", RECENT),
        ("Since Monday the outside of my calf has gone numb.", RECENT),
        ("Got knocked off my bike on Saturday. My back hurts now.", RECENT),
        # the day it began said with no "on"
        ("Put my back out Wednesday lifting the mower into the car.", RECENT),
        ("Started: Sunday, halfway through a hilly long run. Low back, left side.", RECENT),
        ("My back is killing me since Sunday's long run.", RECENT),
        # a race dated "at the end of" a month, a season said with "over" or "during"
        (
            "Since the Valencia marathon at the start of November my lower back has ached.",
            (True, False, False),
        ),
        (
            "The ache came on bit by bit over the summer and now it's there every run.",
            (True, True, True),
        ),
    ],
)
def test_a_point_in_time_dates_the_symptom_said_with_it(
    text: str, expected: tuple[bool | None, ...]
) -> None:
    assert durations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # what makes it worse is not when it began
        "Low back pain. Stepping off a kerb yesterday gave it a real jolt.",
        # a new bladder or bowel change is dated apart from the pain
        "My lower back aches. Since yesterday I've had no feeling when I wipe.",
        # a day still to come, a habit, a race in a coming season
        "My back aches. Physio appointment is on the calendar, I go every week.",
        "I swim on Fridays and my lower back aches.",
        "Lower back aches, doing my first half-ironman in the spring.",
        # "the furthest I've gone since spring" compares distances; it dates nothing
        "Lower back sore after a 25k, the furthest I've gone since spring.",
    ],
)
def test_times_that_do_not_date_the_pain(text: str) -> None:
    assert durations(text) == (None, None, None)
