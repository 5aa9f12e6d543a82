"""Classes of wording behind the misses left on sets 12-19 (issue 9, round 6), in our own words.

Each case is a class, not a sentence from a set: a date with its day, a hedged length of time, a
labelled "Started:" field, an easing said straight after the activity, pain the same in every
position, and an earlier bout of back trouble said any way. Each class
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
    ],
)
def test_pain_the_same_in_every_position_is_constant(text: str) -> None:
    assert answers(text).get("constant_pain_unchanged_by_position") is True


def test_pain_while_lying_in_bed_is_pain_at_rest() -> None:
    assert answers("My back aches even while I'm lying in bed.").get("pain_at_rest") is True


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


# ---------------------------------------------------------------- warning signs (set20, set21)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # an effort word with a slow start
        ("For two days I've had to strain to get my pee going.", "bladder_change"),
        # not reaching the toilet in time, or no warning of needing to go, is incontinence
        ("Yesterday I couldn't get to the toilet in time, twice.", "bladder_change"),
        ("I no longer get the normal signal that I need to wee.", "bladder_change"),
        # passing a stool without feeling it
        ("Since Monday I can't really tell when I'm having a bowel movement.", "bowel_change"),
        # nothing working in the bedroom is the dysfunction
        ("Nothing is working properly in the bedroom now.", "new_sexual_dysfunction"),
        # numbness felt on the toilet seat, either way round
        ("It feels wooden and numb when I sit down on the toilet.", "saddle_numbness"),
        ("I can't feel much against the loo seat any more.", "saddle_numbness"),
        ("Numb on the insides of both thighs since this morning.", "saddle_numbness"),
        # woken, and no way of turning helps
        ("My back wakes me at 4 and rolling over doesn't budge it.", "night_pain_wakes"),
        ("It has been waking me every night, however I lie it won't let up.", "night_pain_wakes"),
        # a dark colour word before the colour
        ("My pee has been a deep red colour today.", "urinary_burning_or_blood"),
    ],
)
def test_warning_signs_said_in_lay_words_are_read(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_numbness_that_comes_on_rides_is_asked_not_told() -> None:
    reading = read_story(
        "During long rides on the trainer my crotch goes numb, then it's fine off the bike.",
        today=TODAY,
    )
    assert "saddle_numbness" in reading.uncertain_ids()
    assert reading.evidence().as_dict().get("saddle_numbness") is None


def test_numbness_that_stops_riding_is_still_told() -> None:
    got = answers("Since last night my saddle area is numb and I can't even get on the bike.")
    assert got.get("saddle_numbness") is True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Temperature I have not, I feel okay.", "fever_or_chills"),
        ("My back doesn't hurt when I sit.", "worse_sitting"),
        ("it doesnt hurt when i sit, only standing", "worse_sitting"),
    ],
)
def test_a_denial_after_the_thing_or_before_the_activity(text: str, finding: str) -> None:
    assert answers(text).get(finding) is False


def test_a_hip_that_drops_is_not_a_fall() -> None:
    assert (
        answers("On single-leg squats my right hip keeps dropping down.").get("recent_trauma")
        is not True
    )


def test_contractions_typed_without_apostrophes() -> None:
    assert answers("typing for my wife shes 61, her back is sore").get("age_over_50") is True
    assert answers("i havent had any numbness in my legs").get("numbness_leg") is False


# ---------------------------------------------------------------- the lower back, named plainly


@pytest.mark.parametrize(
    "text",
    [
        "Had a lower backache since the weekend.",
        "A low backache that comes on after long rides.",
        "My back low is sore after I stand up from the sofa.",
        "My lower back seized up getting out of the car.",
        "Bent to pick up the kettlebell and my lower back just went.",
        "- Lower back, left side, since the race",
        "Central low back, worse after sitting.",
        "A dull ache just above my belt on the right.",
        "There's a knot just right of my spine at belt level.",
    ],
)
def test_the_lower_back_named_without_a_pain_word(text: str) -> None:
    assert answers(text).get("pain_low_back") is True


@pytest.mark.parametrize(
    "text",
    [
        "I do lower back stretches every morning.",
        "Lower back exercises help my running.",
        "I keep my lower back flat on the bike.",
        "Pressing along my spine doesn't hurt.",
    ],
)
def test_the_lower_back_named_without_trouble(text: str) -> None:
    assert answers(text).get("pain_low_back") is not True


# ---------------------------------------------------------------- ages and times (set20, set21)


@pytest.mark.parametrize(
    ("text", "over_50"),
    [
        # "since 10 years" is how long they have run, not an age
        ("I am 52 years old woman, I am cycling since 12 years.", True),
        # a race distance after a comma is not an age
        ("41M, triathlete, 70.3 next summer, sore low back.", False),
        ("68 and retired, still jogging most days.", True),
        # a simile is not an age
        ("I'm 33 and I walk like I'm 80 in the mornings.", False),
        # a relative named, then their age
        ("Writing for my husband Tom who is 61. His back is sore.", True),
        ("Posting for my kiddo, she's 15. Her lower back hurts after races.", False),
    ],
)
def test_ages_said_around_other_numbers(text: str, over_50: bool) -> None:
    assert answers(text).get("age_over_50") is over_50


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "My back pain came on slowly from early October after I started hill reps.",
            (True, True, False),
        ),
        ("It's been there since the club 10k, five weeks ago.", (True, False, False)),
        ("Five weeks into this now and no better.", (True, False, False)),
        ("Sore low back for the best part of a year.", (True, True, True)),
        ("I've had this disc bulge since the middle of September.", (True, True, False)),
    ],
)
def test_more_times_that_date_the_pain(text: str, expected: tuple[bool | None, ...]) -> None:
    assert durations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It's getting easier if I keep moving about during the day.",
        "It's fine once I'm a couple of miles into a run.",
        "If I get up and potter round the garden for a while it eases.",
    ],
)
def test_more_easing_with_movement(text: str) -> None:
    assert answers(text).get("better_with_movement") is True


@pytest.mark.parametrize(
    "text",
    ["A sharp pain in the left gluteus after hills.", "Ache over the right side of my pelvis."],
)
def test_a_side_named_with_more_body_words(text: str) -> None:
    assert answers(text).get("pain_one_side") is True


# ---------------------------------------------------------------- painkillers and onset (set21)


@pytest.mark.parametrize(
    ("text", "helps_a_lot", "no_help"),
    [
        ("Aleve is honestly a godsend, 70% better in a day.", True, False),
        ("Nurofen just takes the edge off for a couple of hours.", False, None),
        ("Naproxen helps slightly, nothing more.", False, None),
        ("Ibuprofen did literally nothing for it.", False, True),
    ],
)
def test_how_much_an_anti_inflammatory_helps(
    text: str, helps_a_lot: bool, no_help: bool | None
) -> None:
    got = answers(text)
    assert got.get("nsaid_helps_a_lot") is helps_a_lot
    assert got.get("nsaid_no_help") is no_help


@pytest.mark.parametrize(
    "text",
    [
        "Hoisting the suitcase into the overhead bin, my back just went.",
        "I got a sharp catch while lifting the paddling pool.",
        "It began when I was shovelling snow off the drive.",
        "My back went on me as I was carrying the shopping up the stairs.",
    ],
)
def test_a_strain_and_the_moment_it_went_is_a_sudden_onset(text: str) -> None:
    assert answers(text).get("sudden_onset_moment") is True


@pytest.mark.parametrize(
    "text",
    [
        "Reaching up to the top shelf gives me a sharp catch.",
        "I was lifting weights and then went for a run; my back was sore afterwards.",
    ],
)
def test_what_sets_it_off_now_is_not_the_onset(text: str) -> None:
    assert answers(text).get("sudden_onset_moment") is not True


# ---------------------------------------------------------------- rest, running, denials (set20)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("If I lie dead still on the sofa it's manageable.", True),
        ("Easier lying flat on the floor with my knees up.", True),
        ("My days off are the worst, it stiffens right up.", False),
        ("Took a fortnight off and it hardly changed.", False),
    ],
)
def test_rest_said_any_way(text: str, value: bool) -> None:
    assert answers(text).get("better_with_rest") is value


def test_not_easing_lying_down_is_never_an_easing() -> None:
    assert (
        answers("It's there all day and it won't ease lying down either.").get("better_with_rest")
        is not True
    )


def test_not_finding_a_numb_patch_is_a_denial() -> None:
    assert (
        answers("My legs are fine and I couldn't find a numb spot anywhere.").get("numbness_leg")
        is False
    )


def test_sore_within_minutes_of_a_run_is_worse_running() -> None:
    got = answers("My lower back gets sore within ten minutes of every run now.")
    assert got.get("worse_during_running") is True


@pytest.mark.parametrize(
    "text",
    [
        "Twinges on hilly runs mostly.",
        "It grabs me about a mile into my run.",
        "Felt it go mid-run last Tuesday.",
        "I start run with my friend every morning.",
    ],
)
def test_running_said_in_passing(text: str) -> None:
    assert answers(text).get("runner") is True


def test_a_run_of_luck_is_not_running() -> None:
    assert answers("A run of bad nights lately, nothing more.").get("runner") is None


# ---------------------------------------------------------------- collisions and the bony point


@pytest.mark.parametrize(
    "text",
    [
        "Got clipped by a van on my commute and went over the bars.",
        "Was thrown off the bike onto the tarmac on Saturday.",
    ],
)
def test_a_road_collision_or_a_throw_is_trauma(text: str) -> None:
    assert answers(text).get("recent_trauma") is True


@pytest.mark.parametrize(
    "text",
    ["It feels like I've been hit by a truck.", "I was hit by a wave of exhaustion at work."],
)
def test_a_simile_or_a_feeling_is_not_trauma(text: str) -> None:
    assert answers(text).get("recent_trauma") is not True


def test_a_bony_point_tender_without_pressing() -> None:
    assert answers("Lower back pain, and the bony bump is super tender.").get("tender_bone_point")


def test_not_on_any_steroids_is_a_denial() -> None:
    assert answers("I'm not on any steroids.").get("osteoporosis_or_long_term_steroids") is False


@pytest.mark.parametrize(
    "text",
    [
        "I can't manage with my wife any more since the back went.",
        "In the bedroom things don't work like they did before, since Friday.",
    ],
)
def test_the_bedroom_said_plainly_or_non_natively(text: str) -> None:
    assert answers(text).get("new_sexual_dysfunction") is True


# ---------------------------------------------------------------- set23 and set24 classes


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a form field answered yes
        ("Unexplained weight loss – yes, around 4 kg since September", "unexplained_weight_loss"),
        ("Night pain (waking you): yes", "night_pain_wakes"),
        # constant, said with an example
        (
            "It's constant, even resting in bed, and moving doesn't change it at all.",
            "constant_pain_unchanged_by_position",
        ),
        (
            "The ache doesn't vary whether i stand, sit or lie flat.",
            "constant_pain_unchanged_by_position",
        ),
        # woken, and lying the other way made no difference
        ("It woke me at 4 and rolling over made no difference.", "night_pain_wakes"),
        # a bowel urge not felt until too late
        ("Twice I didn't know I needed a poo until it was almost too late.", "bowel_change"),
        ("Things have not been working properly in the bedroom lately.", "new_sexual_dysfunction"),
        # a misspelt steroid
        (
            "I take prednison every day for my lungs, for years now.",
            "osteoporosis_or_long_term_steroids",
        ),
        # can't do X without the back hurting: the back does hurt
        ("I can't get through a 3-hour drive without my lower back killing me.", "pain_low_back"),
        ("Started with an ache in the middle of my low back in early September.", "pain_low_back"),
        ("Aching for a month, mid-low, over the spine.", "pain_low_back"),
    ],
)
def test_more_findings_said_in_real_words(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


def test_a_temperature_not_taken_is_asked() -> None:
    reading = read_story(
        "I've felt clammy at night but haven't checked my temperature.", today=TODAY
    )
    assert reading.evidence().as_dict().get("fever_or_chills") is None
    assert "fever_or_chills" in reading.uncertain_ids()


def test_a_relatives_fresh_diagnosis_is_not_the_persons_cancer() -> None:
    got = answers("My dad has just been diagnosed with bowel cancer, so I'm worried.")
    assert got.get("history_of_cancer") is not True


def test_right_down_the_leg_is_not_the_right_side() -> None:
    got = answers("Sciatica in my left leg, right down to the heel.")
    assert got.get("symptoms_both_legs") is not True
    assert got.get("pain_one_side") is True


def test_more_weak_alone_compares_the_sides() -> None:
    got = answers("The left calf is more weak than the right one.")
    assert got.get("progressive_weakness") is not True


def test_the_base_of_the_spine_is_not_the_lower_back() -> None:
    got = answers("Sharp pain at the base of my spine, below the belt, on the left.")
    assert got.get("pain_low_back") is not True


def test_weakness_said_to_grow_is_progressive() -> None:
    got = answers("My right foot is getting more weak every week, it slaps when I walk.")
    assert got.get("progressive_weakness") is True


# ------------------------------------------------------- sitting, running, legs (set23, set24)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        ("Sitting's fine, it's standing that gets me.", "worse_sitting", False),
        ("Running's grand actually, no bother at all.", "worse_during_running", False),
        ("Deep in the glute, no back pain, worse sitting at my desk.", "worse_sitting", True),
        ("Whenever I sit in the car for a while it's dreadful.", "worse_sitting", True),
        ("The bone is so sore to sit on that I use a cushion.", "worse_sitting", True),
        ("The pain kicks in halfway through a long run.", "worse_during_running", True),
        ("I ran the club 10k and it comes on midway through.", "worse_during_running", True),
        (
            "The run was miserable, especially the first 5k off the bike.",
            "worse_during_running",
            True,
        ),
        ("Sore after long runs but not really during.", "worse_during_running", False),
        ("No numbness in my legs and nothing going down them.", "leg_pain_below_knee", False),
        ("No pain running down the legs at all.", "leg_pain_above_knee", False),
    ],
)
def test_sitting_running_and_the_legs_said_in_real_words(
    text: str, finding: str, value: bool
) -> None:
    assert answers(text).get(finding) is value


def test_no_worse_sitting_is_a_denial() -> None:
    assert answers("It's no worse when I sit.").get("worse_sitting") is False


@pytest.mark.parametrize(
    ("text", "over_3_months"),
    [
        ("Sore since the Manchester marathon, so just over nine weeks now.", False),
        ("My lower back has been aching for a good eight weeks.", False),
        ("This latest episode has gone on since Easter.", True),
        ("My hip has ached ever since I started speed work in early July.", True),
    ],
)
def test_lengths_said_with_a_little_more_and_events(text: str, over_3_months: bool) -> None:
    assert answers(text).get("duration_over_3_months") is over_3_months


def test_a_foot_starting_to_drop_and_less_each_day() -> None:
    got = answers("This week my foot has started to slap, and every day I can raise it a bit less.")
    assert got.get("leg_weakness") is True
    assert got.get("progressive_weakness") is True
    assert answers("I can move my toes less and less.").get("progressive_weakness") is True


# ---------------------------------------------------------------- mornings, early waking, sitting


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("First thing in the morning I shuffle about, stiff as a post, for a good hour.", True),
        ("My back is creaky for about 45 minutes every morning.", True),
        ("It takes me the best part of an hour and a hot bath before I loosen up.", True),
        ("Mornings are okay, and there's no stiffness really.", False),
        ("In the mornings it's not stiff at all.", False),
    ],
)
def test_morning_stiffness_said_any_way(text: str, value: bool) -> None:
    assert answers(text).get("morning_stiffness_over_30_min") is value


def test_stiffness_after_a_run_is_not_morning_stiffness() -> None:
    got = answers("My back is stiff for about an hour after a hard session.")
    assert got.get("morning_stiffness_over_30_min") is not True


@pytest.mark.parametrize(
    "text",
    [
        "I wake around 3 am with it and it settles once I'm up and moving.",
        "It wakes me in the early hours and the only thing that helps is getting up.",
    ],
)
def test_woken_late_and_eased_by_getting_up(text: str) -> None:
    assert answers(text).get("wakes_late_night_eases_getting_up") is True


@pytest.mark.parametrize(
    "text",
    [
        "Standing in queues is awful; sitting down on a bench sorts it out.",
        "Sitting down at lunch is such a relief.",
        "If I sit down for a minute the ache calms right away.",
        "Leaning on the trolley handle helps loads.",
    ],
)
def test_sitting_or_leaning_forward_eases_it(text: str) -> None:
    assert answers(text).get("better_sitting_or_bending_forward") is True


# ---------------------------------------------------------------- bladder and bowels said normal


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("'Waterworks?' - all normal.", "bladder_change"),
        ("Bladder's behaving itself, thankfully.", "bladder_change"),
        ("No problems with the water or the bowels.", "bladder_change"),
        ("No problems with the water or the bowels.", "bowel_change"),
        ("He can pee fine, he says.", "bladder_change"),
        ("Weeing, pooing, all working normally.", "bowel_change"),
    ],
)
def test_bladder_and_bowels_said_normal_are_denials(text: str, finding: str) -> None:
    assert answers(text).get(finding) is False


@pytest.mark.parametrize(
    "text",
    [
        # a double negative is never a denial of a warning sign
        "My bladder's not normal this week.",
        "Peeing isn't right, it dribbles.",
        "Wee-ing is fine except I can't always tell when I need to go.",
    ],
)
def test_not_normal_is_never_a_denial(text: str) -> None:
    assert answers(text).get("bladder_change") is not False


def test_everything_not_fine_down_there_is_not_a_denial() -> None:
    got = answers("Everything is not fine down there and the seat feels numb.")
    assert got.get("saddle_numbness") is not False


# ------------------------------------------------- classes from set22 (after its first run)


def test_a_doctors_questions_reported_with_answers_in_brackets_are_denials() -> None:
    got = answers(
        "The GP asked the usual: any weight loss without trying (no), fevers or sweats (no), "
        "does it wake you (no, I sleep fine)."
    )
    assert got.get("unexplained_weight_loss") is False
    assert got.get("fever_or_chills") is False
    assert got.get("night_pain_wakes") is False


def test_two_questions_answered_no_and_no_after_a_dash() -> None:
    got = answers("Any problems with my bladder or numbness between my legs - no and no.")
    assert got.get("bladder_change") is False
    assert got.get("saddle_numbness") is False


@pytest.mark.parametrize(
    "text",
    ["Numb between my legs - no idea why.", "Numbness down there (no pain with it though)."],
)
def test_a_no_that_is_not_an_answer_denies_nothing(text: str) -> None:
    assert answers(text).get("saddle_numbness") is True


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        ("Wiping feels muffled, like it's not my own skin.", "saddle_numbness", True),
        (
            "On the toilet the feeling around my back passage is less than before.",
            "saddle_numbness",
            True,
        ),
        ("Had an accident in my shorts and didn't even feel it coming.", "bowel_change", True),
        (
            "I've dropped a belt notch, nearly a stone, without trying.",
            "unexplained_weight_loss",
            True,
        ),
        ("Honestly I haven't felt myself for weeks.", "feeling_unwell", True),
        (
            "It didn't come from any single moment, it's been building bit by bit.",
            "gradual_onset",
            True,
        ),
        ("The hot water bottle is the only thing that helps.", "better_with_heat", True),
        ("Running doesn't change the pain at all.", "worse_during_running", False),
        ("Bending forward doesn't change it.", "worse_bending_forward", False),
    ],
)
def test_set22_classes_in_our_own_words(text: str, finding: str, value: bool) -> None:
    assert answers(text).get(finding) is value


def test_an_accident_alone_is_asked() -> None:
    reading = read_story("Had an accident in my pants on the way home.", today=TODAY)
    assert "bowel_change" in reading.uncertain_ids()


def test_a_hedged_walking_distance_does_not_hedge_the_legs() -> None:
    got = answers("After I walk maybe fifteen minutes both my legs go heavy and achy.")
    assert got.get("symptoms_both_legs") is True


def test_looking_washed_out_is_asked_not_told() -> None:
    reading = read_story("My wife says I look washed out.", today=TODAY)
    assert "feeling_unwell" in reading.uncertain_ids()


def test_fingertips_past_the_knees_is_a_stretch_not_leg_pain() -> None:
    got = answers("My hamstrings are so tight I can't get my fingers past my knees.")
    assert got.get("leg_pain_below_knee") is not True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        (
            "It's the same whether I'm sitting, standing or lying in bed.",
            "constant_pain_unchanged_by_position",
        ),
        ("The pain is right on my lower spine and it's sharp.", "pain_central_spine"),
        ("The only thing that helps is a wheat bag.", "better_with_heat"),
    ],
)
def test_set22_more_classes(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        ("I can hop on my left leg without it hurting at all.", "single_leg_hop_pain", False),
        ("Hopping on either leg is pain-free.", "single_leg_hop_pain", False),
        ("Pressing on the bony bit of my spine doesn't hurt.", "tender_bone_point", False),
        ("When I press there the bone itself isn't sore.", "tender_bone_point", False),
        ("A hot water bottle, which doesn't really help either.", "better_with_heat", False),
    ],
)
def test_set22_denials_said_after_the_thing(text: str, finding: str, value: bool) -> None:
    assert answers(text).get(finding) is value


def test_a_marathon_last_year_is_not_a_recent_race() -> None:
    assert answers("I ran my first marathon last year.").get("recent_long_race") is not True


def test_if_my_legs_ever_went_numb_is_hypothetical() -> None:
    got = answers("My physio said if my legs ever went numb I should go to A&E.")
    assert got.get("numbness_leg") is not True


def test_a_drug_tried_for_days_does_not_date_the_pain() -> None:
    got = answers("Sore for four months. I tried ibuprofen for a couple of days, it helped.")
    assert got.get("duration_over_3_months") is True


# ---------------------------------------------------------------- classes from set26 (a dev set)


def test_a_list_of_questions_each_answered_none_or_neither() -> None:
    got = answers("She asked: night sweats or fevers? None. Weight loss or feeling ill? Neither.")
    assert got.get("fever_or_chills") is False
    assert got.get("unexplained_weight_loss") is False


def test_no_to_all_of_that_in_brackets_answers_the_list_before_it() -> None:
    got = answers(
        "My GP asked whether my bladder had changed or I'd felt numb down below"
        " (no to all of that)."
    )
    assert got.get("saddle_numbness") is False
    assert got.get("bladder_change") is False


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Lying in bed I notice a kind of pulsing in my belly.", "tearing_pain_into_abdomen"),
        ("On the toilet seat my bottom feels a bit strange, not numb exactly.", "saddle_numbness"),
    ],
)
def test_hints_of_a_warning_sign_are_asked(text: str, finding: str) -> None:
    reading = read_story(text, today=TODAY)
    assert finding in reading.uncertain_ids()
    assert reading.evidence().as_dict().get(finding) is None


def test_there_all_the_time_even_lying_still() -> None:
    got = answers("My back hurts all the time, even lying still in bed.")
    assert got.get("constant_pain_unchanged_by_position") is True


def test_injecting_said_in_brackets_or_as_using() -> None:
    assert (
        answers("I relapsed last month and used a few times (injecting).").get(
            "immunosuppressed_or_iv_drug_use"
        )
        is True
    )


def test_a_no_followed_by_an_aside_in_brackets() -> None:
    got = answers(
        "She went through a list. Fevers or sweats? No (thankfully). Weight loss? No (sadly!)."
    )
    assert got.get("fever_or_chills") is False
    assert got.get("unexplained_weight_loss") is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since the last week of August my lower back has ached.", (True, True, True)),
        ("Four weeks in now and the back is no better.", (True, False, False)),
    ],
)
def test_the_last_week_of_a_month_and_weeks_in(
    text: str, expected: tuple[bool | None, ...]
) -> None:
    assert durations(text) == expected


# ------------------------------------------------- classes from set25 (after its first run)


def test_woken_and_turning_over_or_getting_up_does_not_shift_it() -> None:
    got = answers("It wakes me at 3, and turning over or making a cup of tea doesn't shift it.")
    assert got.get("night_pain_wakes") is True


def test_weaker_than_on_a_day_named_before_is_progressive() -> None:
    got = answers("My foot slaps when I walk, and it's weaker now than it was on Monday.")
    assert got.get("progressive_weakness") is True
    assert answers("My stream is weaker than it was last week.").get("progressive_weakness") is None


def test_not_there_after_the_thing_is_a_denial() -> None:
    got = answers("Shooting pain down the legs is not there.")
    assert got.get("leg_pain_below_knee") is False


def test_a_pulsing_a_doctor_felt_in_the_belly_is_told() -> None:
    got = answers("Back pain for a month. The GP felt something pulsing in my tummy.")
    assert got.get("tearing_pain_into_abdomen") is True
