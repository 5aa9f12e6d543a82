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


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a list of reported questions opened by a dash, closed by a no to all of it
        (
            "The physio went over the usual questions - numb skin in the saddle area, the "
            "waterworks, that sort of thing - and I haven't had anything like that.",
            "saddle_numbness",
        ),
        # a fragment answered after a dash
        ("Pins and needles down the leg - haven't had any.", "pins_and_needles_leg"),
        ("Numbness in my feet: not noticed any.", "numbness_leg"),
    ],
)
def test_a_no_to_reported_questions_or_a_fragment_is_a_no(text: str, finding: str) -> None:
    assert answers(text).get(finding) is False


def test_a_no_to_a_list_does_not_reach_a_statement_before_it() -> None:
    got = answers("Lower back pain, it eases when I rest, and I haven't had any of those.")
    assert got.get("better_with_rest") is True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # an accident said to be a wee is the bladder's
        ("Had a pee accident in my shorts on the way back from the shops.", "bladder_change"),
        # straining or trying to get a wee started
        ("I stood there for ages trying to get the pee to start.", "bladder_change"),
        # a bowel motion not felt coming
        ("I can't really tell when I need a poo any more.", "bowel_change"),
        # going without knowing it, said of a poo or a wee
        ("Pooed myself at work and never even noticed I'd gone.", "bowel_change"),
        ("Didn't even realise I'd gone until my leggings were wet with wee.", "bladder_change"),
        # an emoji for the word
        ("\U0001f4a9 accidents since Monday, never had that before.", "bowel_change"),
        # how long, then every position
        (
            "My back hurts all the time: standing, sitting or lying down.",
            "constant_pain_unchanged_by_position",
        ),
    ],
)
def test_warning_signs_in_more_lay_words(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Had a wee accident, nothing to do with poo, on the long run.", "bowel_change"),
        # tight hamstrings felt in the thighs are not leg pain in both legs
        ("Lower back sore, and really tight at the backs of my thighs.", "symptoms_both_legs"),
        ("Lower back sore, and really tight at the backs of my thighs.", "leg_pain_above_knee"),
        # a part of the body that feels wrong is not feeling unwell
        ("My feet feel weird on long runs and my back aches.", "feeling_unwell"),
        # a far run not noticed is not incontinence
        ("Went for a run and didn't realise I'd gone so far, now my back aches.", "bowel_change"),
        ("Went for a run and didn't realise I'd gone so far, now my back aches.", "bladder_change"),
    ],
)
def test_what_those_words_do_not_mean(text: str, finding: str) -> None:
    assert answers(text).get(finding) is not True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # woken, and no way of lying eases it
        ("The ache wakes me at 4 and I can't get comfortable no matter what.", "night_pain_wakes"),
        (
            "My back pain wakes me up; I've tried all sorts of positions and pillows and "
            "nothing makes a difference.",
            "night_pain_wakes",
        ),
        # lying down does not help: the same lying as up and about
        (
            "Sore low back. Can't get comfy, lying down doesn't help.",
            "constant_pain_unchanged_by_position",
        ),
        # a chain of "it" sentences still tells of the pain named before them
        (
            "I've had a pain low in my back since the race. But it hasn't gone like it used "
            "to. It's constant.",
            "constant_pain_unchanged_by_position",
        ),
    ],
)
def test_pain_no_position_eases(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_woken_but_settles_on_turning_is_not_night_pain_that_stays() -> None:
    got = answers("My back wakes me at 5 but I turn over and it settles.")
    assert got.get("night_pain_wakes") is not True


@pytest.mark.parametrize(
    "text",
    [
        "Lawyer, so sitting 11 hrs a day most weeks.",
        "I'm at my desk from 8 till 7 and my lower back aches.",
        "Call centre job: the whole day in front of a screen.",
        "Twelve hours a day at the computer lately.",
        "Web developer, so yes I sit a lot.",
    ],
)
def test_sitting_and_a_daily_length_of_it_is_long_daily_sitting(text: str) -> None:
    assert answers(text).get("long_daily_sitting") is True


@pytest.mark.parametrize(
    "text",
    [
        # a condition or an inability is what makes it worse, not the day's habit
        "It gets worse if I sit still all day.",
        "I can't sit through a 2 hour film any more.",
        # one long sit is not the daily habit
        "Sat in the car for 6 hours on Saturday driving to the race.",
    ],
)
def test_sitting_that_is_not_the_daily_habit(text: str) -> None:
    assert answers(text).get("long_daily_sitting") is not True


@pytest.mark.parametrize(
    "text",
    [
        # the place said as the answer, or as "the problem"
        "What hurts? It's the lower back, mostly on the left.",
        "The main problem is my lower back after long rides.",
        # the level said after a comma
        "I've had an ache in my back, lower down, since the autumn.",
        "Back's been sore since the club relay, left side low down.",
        # a comparison is not a denial: "not like any back pain I've had"
        "Pain low in my back. It's not like any back pain I've had before.",
        "Left side of my lower back catches when I reach for the seatbelt.",
    ],
)
def test_the_lower_back_said_many_ways(text: str) -> None:
    assert answers(text).get("pain_low_back") is True


@pytest.mark.parametrize(
    "text",
    [
        "Sharp pain at the back of my pelvis on the right, near the bottom of the spine.",
        "My right foot keeps catching on the stairs.",
    ],
)
def test_what_is_not_the_lower_back(text: str) -> None:
    assert answers(text).get("pain_low_back") is not True


@pytest.mark.parametrize(
    "text",
    [
        # a number that runs into its unit ("35 to 65km") still ends the match
        "Over six weeks I went from 40 to 70km a week.",
        "Bumped it up from 30km to 55km a week.",
        "I'm now up to about 60 miles a week.",
        "Stepped up to 120 km weeks for the block.",
        "Did more kilometres than usual this autumn.",
        "Been building my running volume for the marathon.",
    ],
)
def test_training_load_going_up_said_many_ways(text: str) -> None:
    assert answers(text).get("recent_mileage_increase") is True


def test_a_weight_in_kilos_after_was_still_reads() -> None:
    assert answers("Weight: 61kg (was 66kg), not trying.").get("unexplained_weight_loss") is True


@pytest.mark.parametrize(
    "text",
    [
        "My lower back is stiff but once I'm up and walking it goes.",
        "A hot bath and an easy walk loosen it right up.",
        "Walking around is actually better than sitting still.",
        "After run it is better, my back.",
    ],
)
def test_moving_eases_it(text: str) -> None:
    assert answers(text).get("better_with_movement") is True


@pytest.mark.parametrize(
    "text",
    [
        "Back aches. Walking and running are fine.",
        "Back aches. Jogging is easier than walking, oddly.",
    ],
)
def test_what_is_not_moving_easing_it(text: str) -> None:
    assert answers(text).get("better_with_movement") is not True


@pytest.mark.parametrize(
    "text",
    [
        "My lower back hurts every time he gets up from a chair, he says.",
        "Low back is sore getting up after a long meeting.",
        "After a drive I can't straighten up when I get out, my back is that sore.",
    ],
)
def test_getting_up_from_a_sit_said_many_ways(text: str) -> None:
    assert answers(text).get("worse_sit_to_stand") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "something went in my back" is the onset, not an episode that ended
        ("Yesterday I coughed and something went in my back.", RECENT),
        # a run with its distance and a short day name
        ("ran 25k sat, lower back wrecked now", RECENT),
        ("New spikes 10 days ago and now my lower back hates me.", RECENT),
        # a length of time that belongs to a state of life, not to the pain
        (
            "I've been in recovery for six years. Back pain started about 5 weeks ago.",
            (True, False, False),
        ),
        # an amount read as the age dates nothing
        ("Cyclist from Leeds, 42 years. Back pain since 3 weeks.", (True, False, False)),
    ],
)
def test_more_times_that_date_the_pain(text: str, expected: tuple[bool | None, ...]) -> None:
    assert durations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "My period stopped last summer, coach says that's normal.",
        "Periods haven't come back since the marathon block started.",
        "I haven't needed tampons since July.",
        "my period did not come since september",
    ],
)
def test_periods_stopped_since_a_time_past_are_stopped_now(text: str) -> None:
    assert answers(text).get("periods_irregular_or_stopped") is True


@pytest.mark.parametrize(
    "text",
    [
        "I'm 54 and went through the menopause, so my periods stopped years ago.",
        "Periods stopped naturally at 51.",
    ],
)
def test_the_menopause_is_not_stopped_periods(text: str) -> None:
    assert answers(text).get("periods_irregular_or_stopped") is not True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        (
            "No pain in the legs except now and then an ache at the back of the thigh.",
            "leg_pain_above_knee",
        ),
        ("Nothing wrong with my legs apart from a sore right thigh.", "leg_pain_above_knee"),
    ],
)
def test_an_exception_to_a_general_no_stands(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_a_no_with_no_exception_stays_a_no() -> None:
    got = answers("No pain in the legs. My right thigh is fine apart from being tight.")
    assert got.get("leg_pain_above_knee") is not True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At first only after long runs, now it hurts walking to the car.", True),
        ("It started as a niggle on hills and now I limp after every run.", True),
        ("At first it was agony, now it's much better.", None),
        ("Initially it hurt on hills, but now I can run them fine.", None),
    ],
)
def test_how_it_was_then_how_it_is_now(text: str, expected: bool | None) -> None:
    assert answers(text).get("getting_worse") is expected


@pytest.mark.parametrize(
    "text",
    [
        "Running feels fine, my back hurts more after than during.",
        "My runs are ok but I pay for it after.",
        "No pain on the run, but the morning after a run I'm hobbling.",
        "Running doesn't hurt at the time but the day after I'm limping.",
        "My back is fine while I run, but afterwards it stiffens up.",
    ],
)
def test_worse_after_running_set_against_during(text: str) -> None:
    assert answers(text).get("worse_after_running") is True


@pytest.mark.parametrize(
    "text",
    [
        # pain where the saddle sits is not lost feeling there
        "Sore bum, right where the saddle sits, after long rides.",
        "My sit bone aches where the bike seat touches.",
    ],
)
def test_pain_where_the_saddle_sits_is_not_saddle_numbness(text: str) -> None:
    assert answers(text).get("saddle_numbness") is not True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("The skin where the saddle touches has gone numb since Tuesday.", "saddle_numbness"),
        ("Between my legs feels like cardboard when I wipe.", "saddle_numbness"),
        ("Caught my toe on a root twice this week, never used to.", "leg_weakness"),
        # a tearing pain said in the past tense
        (
            "Felt like something tore in my back, right through to my belly.",
            "tearing_pain_into_abdomen",
        ),
    ],
)
def test_warning_signs_said_on_the_final_set_classes(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_a_plain_no_to_weakness_stays_a_no() -> None:
    assert answers("The leg isn't weak, I can go up on tiptoe.").get("leg_weakness") is False


def test_two_negations_that_cancel_are_not_a_no() -> None:
    reading = read_story("I wouldn't say my left leg isn't weak.", today=TODAY)
    assert reading.evidence().as_dict().get("leg_weakness") is not False
    assert "leg_weakness" in reading.uncertain_ids()  # a bare "weak" is asked, never a no


# ---------------------------------------------------------------- from dev set30 (round 8)
@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # a reply that denies with an amount: "Lost weight without trying? Not a pound."
        ("Any night sweats?\nNot once.", "fever_or_chills", False),
        # things not working with a partner
        ("Things haven't worked with my wife since the weekend.", "new_sexual_dysfunction", True),
        ("I feel utterly washed out all the time.", "feeling_unwell", True),
        ("Shivery at night and just not quite myself lately.", "feeling_unwell", True),
        # a weight lost "without really trying"
        ("Lost 4 kilos since August without even trying.", "unexplained_weight_loss", True),
        (
            "The ache in my back is no different whatever I do.",
            "constant_pain_unchanged_by_position",
            True,
        ),
    ],
)
def test_round_8_classes(text: str, finding: str, expected: bool) -> None:
    assert answers(text).get(finding) is expected


def test_numbness_on_the_longer_rides_is_asked_not_told() -> None:
    reading = read_story("I go numb between my legs, on the longer rides.", today=TODAY)
    assert reading.evidence().as_dict().get("saddle_numbness") is None
    assert "saddle_numbness" in reading.uncertain_ids()


def test_even_off_the_bike_is_not_running_off_the_bike() -> None:
    got = answers("My lower back aches even off the bike now.")
    assert got.get("worse_running_off_bike") is not True


def test_the_thing_named_before_carries_its_sentence() -> None:
    reading = read_story(
        "My right foot keeps dragging and slapping on walks. The foot thing is worse than it "
        "was on Monday.",
        today=TODAY,
    )
    assert "progressive_weakness" in reading.uncertain_ids() or (
        reading.evidence().as_dict().get("progressive_weakness") is True
    )


# ---------------------------------------------------------------- from final set31, after its run
@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My wee's been really slow to get started since Monday.", "bladder_change"),
        ("Didn't quite make it to the loo this morning, for a wee.", "bladder_change"),
        ("Haven't always known when I need a poo lately.", "bowel_change"),
    ],
)
def test_bladder_and_bowel_in_more_words(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_hard_to_get_going_in_the_morning_is_not_the_bladder() -> None:
    got = answers("Hard to get going in the mornings, my back is so stiff.")
    assert got.get("bladder_change") is not True


def test_a_fear_is_not_a_history_of_cancer() -> None:
    got = answers("Honestly my mind jumps straight to cancer, my uncle had it in his spine.")
    assert got.get("history_of_cancer") is not True
