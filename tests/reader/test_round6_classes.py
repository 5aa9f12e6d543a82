"""Classes of wording behind the misses left on sets 12-19 (issue 9, round 6), in our own words.

Each case is a class, not a sentence from a set: a date with its day, a hedged length of time, a
labelled "Started:" field, an easing said straight after the activity, pain the same in every
position (which is pain at rest), and an earlier bout of back trouble said any way. Each class
also has cases that must not be read.
"""

from __future__ import annotations

from datetime import date

import pytest

from backstride.reader import read_story

TODAY = date(2026, 12, 1)


def answers(text: str) -> dict[str, bool]:
    return read_story(text, today=TODAY).evidence().as_dict()


DURATIONS = ("duration_over_2_weeks", "duration_over_6_weeks", "duration_over_3_months")


def durations(text: str) -> tuple[bool | None, ...]:
    got = answers(text)
    return tuple(got.get(f) for f in DURATIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day of the month, before or after the month (19 and 42 days before 1 December)
        ("Lower back has ached since the 12th of November.", (True, False, False)),
        ("Lower back pain since 12 Nov, after a hilly long run.", (True, False, False)),
        ("My low back started hurting on October 20th.", (True, True, False)),
        # a hedge between "since" and the month, and a labelled field
        ("My lower back has been sore since roughly July.", (True, True, True)),
        ("Started: about mid-September, no fall or knock.", (True, True, False)),
        # a hedged amount is still the writer's estimate
        ("The ache in my lower back has been there maybe 7 weeks now.", (True, True, False)),
        ("I think my back has hurt for 3 weeks.", (True, False, False)),
        # "the last month" is a length of time; "been X since" is too, even with "worse" after it
        ("The last month or so my lower back has been grumbling.", (True, False, False)),
        ("Back has been achy since September, and it's got worse since.", (True, True, None)),
        # non-native: a bare "start"
        ("The pain in my back it start 3 weeks ago after the long flight.", (True, False, False)),
    ],
)
def test_times_said_many_ways_date_the_pain(text: str, expected: tuple[bool | None, ...]) -> None:
    assert durations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a numbered count or distance after a month is not a day
        "Ran 5 times in May and my back was fine then; it hurts today.",
        # a future date is not when it began
        "If my back still hurts on the 20th of December I'll see someone.",
    ],
)
def test_numbers_near_a_month_that_are_not_the_onset(text: str) -> None:
    got = durations(text)
    assert got[1] is not True and got[2] is not True


@pytest.mark.parametrize(
    "text",
    [
        "Worse on long drives, better pottering about.",
        "It eases off with a gentle walk round the block.",
        "My back loosens up with some yoga in the evening.",
        "Walking about feels a lot better than sitting at my desk.",
        "What helps: mostly walking, and heat.",
        "The stiffness is gone once I've been moving for ten minutes.",
    ],
)
def test_easing_said_straight_after_the_activity(text: str) -> None:
    assert answers(text).get("better_with_movement") is True


@pytest.mark.parametrize(
    "text",
    [
        # "fine walking" says walking does not aggravate it, not that it eases it
        "Fine walking, fine cycling, it's only running that hurts my back.",
        # a comparison of two activities is not an easing
        "Walking is better than running but both make my back ache.",
        # pain that has "gone down" the leg has moved, not eased
        "The pain has gone down into my calf when I walk.",
    ],
)
def test_what_is_not_an_easing(text: str) -> None:
    assert answers(text).get("better_with_movement") is not True


@pytest.mark.parametrize(
    "text",
    [
        "Sitting, standing or lying flat, the ache in my back doesn't change.",
        "It makes no difference how I sit or lie, my back throbs regardless.",
        "My back is no better lying down than standing up.",
        "My back aches even while I'm lying in bed.",
    ],
)
def test_pain_the_same_lying_down_is_pain_at_rest(text: str) -> None:
    assert answers(text).get("pain_at_rest") is True


def test_lying_on_one_side_is_not_rest_pain() -> None:
    assert answers("My hip hurts when I'm lying on my left side.").get("pain_at_rest") is not True


@pytest.mark.parametrize(
    "text",
    [
        "It feels like my usual dodgy back, just worse.",
        "I've had cranky backs before after marathons, always gone in days.",
        "My back has gone again, third time this year.",
        "I had a similar flare about four years ago after moving house.",
        "There was a slipped disc at L4/5 back in 2017, sorted with physio.",
        "In 2016 I had a bad lumbar disc that kept me off running.",
        "This is my long-standing lower back problem playing up.",
        "Had a bad back a few times in my twenties as well.",
    ],
)
def test_an_earlier_bout_said_any_way_is_the_history(text: str) -> None:
    assert answers(text).get("history_of_low_back_pain") is True


@pytest.mark.parametrize(
    "text",
    [
        "My back is back to normal after the weekend.",
        "The usual stretches did nothing for my back this time.",
    ],
)
def test_usual_and_normal_that_are_not_an_earlier_bout(text: str) -> None:
    assert answers(text).get("history_of_low_back_pain") is not True


def test_a_past_age_is_not_the_age_now() -> None:
    got = answers("Had a dodgy back in my 30s. These days I'm 58 and run most mornings.")
    assert got.get("age_over_50") is True
    assert answers("Had a dodgy back in my 30s too.").get("age_over_50") is None
