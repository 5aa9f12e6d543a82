"""Classes of wording found on set12 (issue 9, round 5), each tested in our own words.

set12 is the development set of this round (tests/reader/blind-12.jsonl); none of these stories
is taken from it. Each case is one class: what must be read, and what must not.
"""

from __future__ import annotations

from datetime import date

import pytest

from backstride.reader import read_story

TODAY = date(2026, 12, 1)


def answers(text: str) -> dict[str, bool]:
    return read_story(text, today=TODAY).evidence().as_dict()


def asked(text: str) -> tuple[str, ...]:
    return read_story(text, today=TODAY).uncertain_ids()


@pytest.mark.parametrize(
    "text",
    [
        # the level said after a break in the sentence
        "My back has ached for a month now, low down.",
        "Back niggling since the half: lower down, on the left.",
        # "back on both sides" is not "back on" (as in "back on the bike")
        "There's a dull ache in my low back on both sides.",
        "The ache is in my back on either side of the spine, low down.",
        # a fragment goes on the sentence before it
        "It has been aching for days. Low back, left side.",
        # ouch is a pain word
        "Something went in my lower back while lifting the kayak, ouch.",
        # several words between the back and the level
        "Back has been really quite sore on the left low down since the relay.",
    ],
)
def test_the_lower_back_said_around_other_words(text: str) -> None:
    assert answers(text).get("pain_low_back") is True


def test_nothing_in_the_lower_back_is_a_no() -> None:
    assert (
        answers("Nothing from the lower back at all, it's all in the hamstring.")["pain_low_back"]
        is False
    )


def test_never_having_had_back_pain_before_is_not_a_denial_of_now() -> None:
    text = "I'd never had back ache before in my life. Now my lower back is sore every morning."
    assert answers(text).get("pain_low_back") is True


@pytest.mark.parametrize(
    "text",
    [
        "Standing, sitting or lying, it's always the same.",
        "Sitting and lying down: it is exactly the same ache.",
    ],
)
def test_every_position_the_same_is_constant_pain(text: str) -> None:
    assert answers(text).get("constant_pain_unchanged_by_position") is True


@pytest.mark.parametrize(
    "text",
    [
        "On my long run I couldn't push off with my left foot at all.",
        "When I go up on my tiptoes on the right I just collapse.",
        "My left calf has no power in it now.",
    ],
)
def test_no_power_to_push_off_is_leg_weakness(text: str) -> None:
    assert answers(text).get("leg_weakness") is True


@pytest.mark.parametrize(
    "text",
    [
        "A fortnight ago I could hop on it; this week I can't even stand on tiptoe.",
        "My foot has started dragging on the stairs.",
    ],
)
def test_weakness_that_came_lately_is_asked_as_progressive(text: str) -> None:
    reading = answers(text).get("progressive_weakness") is True
    assert reading or "progressive_weakness" in asked(text)


def test_performance_with_a_partner_is_asked_as_sexual_dysfunction() -> None:
    assert "new_sexual_dysfunction" in asked(
        "Bit embarrassing but there have been performance problems with my partner."
    )
    assert "new_sexual_dysfunction" in asked("In the bedroom my performance has been patchy.")
    assert "new_sexual_dysfunction" not in asked("My performance at the 10k was poor.")


def test_leaking_without_knowing_is_a_bladder_change() -> None:
    assert answers("I wet my shorts on the run and didn't even notice.")["bladder_change"] is True
    text = "I've been dribbling into my undies a bit lately."
    assert answers(text).get("bladder_change") is True or "bladder_change" in asked(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("What about night sweats, should those worry me?", "night_pain_wakes"),
        ("What about losing weight for no reason, is that a thing?", "unexplained_weight_loss"),
        ("Could it be a fever coming on?", "fever_or_chills"),
    ],
)
def test_a_question_the_writer_puts_is_asked_not_told(text: str, finding: str) -> None:
    assert answers(text).get(finding) is not True


@pytest.mark.parametrize(
    "text",
    [
        "I volunteer at a cancer charity shop on Saturdays.",
        "I'm a nurse and I work in an oncology ward.",
        "I see patients whose tumours have spread every week.",
    ],
)
def test_cancer_at_work_is_not_the_persons_own(text: str) -> None:
    assert answers(text).get("history_of_cancer") is not True


@pytest.mark.parametrize(
    ("text", "over_6_weeks"),
    [
        ("My back started hurting at the start of October.", True),
        ("The ache in my back began in early October.", True),
        ("The ache in my back began in late October.", False),
        ("Back pain since the second week of October.", True),
    ],
)
def test_a_part_of_a_month_dates_the_pain(text: str, over_6_weeks: bool) -> None:
    assert answers(text)["duration_over_6_weeks"] is over_6_weeks


@pytest.mark.parametrize(
    "text",
    [
        "She's run for twenty-odd years.",
        "I jog most mornings before work.",
        "Took up running last spring and I'm hooked.",
    ],
)
def test_running_said_as_a_habit_or_a_start(text: str) -> None:
    assert answers(text).get("runner") is True


def test_not_peeing_normally_is_never_a_denial() -> None:
    assert answers("I'm not weeing normally at all.")["bladder_change"] is True


def test_my_best_friend_with_pain_is_still_someone_else() -> None:
    assert answers("My best friend has awful sciatica.").get("leg_pain_below_knee") is not True


def test_a_cancer_nurse_is_not_a_cancer_history() -> None:
    assert answers("I'm an oncology nurse, so I worry.").get("history_of_cancer") is not True


def test_an_old_episode_opened_by_years_back_is_not_now() -> None:
    text = "Years back I had a numb groin after a long ride. Nothing like that now."
    assert answers(text).get("saddle_numbness") is not True


@pytest.mark.parametrize(
    "text",
    [
        "It's worse every day and now I can't walk on my heels.",
        "My left foot has started to catch, which it didn't do a week ago.",
    ],
)
def test_weakness_getting_worse_said_with_time_is_asked(text: str) -> None:
    assert answers(text).get("progressive_weakness") is True or "progressive_weakness" in asked(
        text
    )


@pytest.mark.parametrize(
    ("text", "over_3_months"),
    [
        ("My back has ached since Easter.", True),
        ("Sore back since the Anzac Day fun run.", True),
        ("Back pain ever since the Lakes ultra in May.", True),
        ("My back has been sore since Halloween.", False),
    ],
)
def test_holidays_and_named_races_date_the_pain(text: str, over_3_months: bool) -> None:
    assert answers(text)["duration_over_3_months"] is over_3_months


def test_a_near_fall_is_never_trauma() -> None:
    assert (
        answers("I nearly fell off my bike on the ice but caught myself.").get("recent_trauma")
        is not True
    )


def test_not_x_since_y_does_not_deny_y() -> None:
    text = "My knee is not right since the back went bad."
    assert answers(text).get("pain_low_back") is not False


def test_a_season_with_its_part_dates_the_pain() -> None:
    assert answers("My back has hurt since the end of the summer.")["duration_over_6_weeks"] is True


def test_weight_said_as_a_field_with_what_it_was_is_asked() -> None:
    text = "Weight: 68kg (was 72 in August)."
    assert answers(text).get(
        "unexplained_weight_loss"
    ) is True or "unexplained_weight_loss" in asked(text)


def test_i_write_for_my_father_makes_his_story_the_one_read() -> None:
    reading = read_story(
        "I write for my father, he is 71. His legs are weak and he can't pass water."
    )
    assert reading.evidence().as_dict().get("age_over_65") is True
    assert reading.evidence().as_dict().get("bladder_change") is True


def test_legs_first_tired_now_weak_is_asked_as_progressive() -> None:
    text = "At first her legs were only heavy, now both are weak on the stairs."
    assert answers(text).get("progressive_weakness") is True or "progressive_weakness" in asked(
        text
    )


def test_a_reply_to_a_quoted_question_takes_the_question_as_its_context() -> None:
    text = (
        "> where exactly is the pain?\ndeep in the left buttock, lowish\n"
        "> when did it start?\n3 weeks ago"
    )
    reading = answers(text)
    assert reading.get("pain_buttock") is True
    assert reading.get("duration_over_2_weeks") is True


def test_a_dull_feeling_round_the_back_passage_is_asked() -> None:
    text = "It feels sort of dull round the back passage."
    assert answers(text).get("saddle_numbness") is True or "saddle_numbness" in asked(text)


# What each class must read (a yes, a no, or None: neither), grouped by the set whose first run
# showed the class. Every story is ours; none is taken from a set.
READINGS = [
    # functions said normal or not
    # a function said to be normal is a denial
    ("Weeing and pooing as normal, nothing numb.", "bladder_change", False),
    ("Weeing and pooing as normal, nothing numb.", "bowel_change", False),
    ("I've been going to the toilet fine.", "bladder_change", False),
    ("Bowels are totally normal.", "bowel_change", False),
    ("I can feel it all down there fine.", "saddle_numbness", False),
    ("Apart from the back I'm healthy.", "feeling_unwell", False),
    # ...and said not to be normal is the warning sign
    ("I haven't been weeing properly since Sunday.", "bladder_change", True),
    ("My stools aren't normal this week.", "bowel_change", True),
    ("I'm not opening my bowels properly.", "bowel_change", True),
    ("Can't empty my bladder properly.", "bladder_change", True),
    # woken and eased by moving is not the warning sign; woken and nothing helps is
    (
        "It wakes me at five but once I get up and move about it eases.",
        "night_pain_wakes",
        False,
    ),
    (
        "It wakes me at 3 and nothing, not turning over or getting up, helps.",
        "night_pain_wakes",
        True,
    ),
    (
        "It aches non-stop, whatever position I try.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    # long-standing leaking after childbirth that has not changed
    (
        "Since my second baby I dribble a bit on jumping jacks, and that is unchanged.",
        "bladder_change",
        False,
    ),
    # a loss of weight with its reason
    ("I shed 5 kg over the summer by counting calories.", "unexplained_weight_loss", False),
    ("Lost 3 kilos since June, but that was on purpose.", "unexplained_weight_loss", False),
    # "feels like it's not mine" between the legs
    ("Between my legs it feels like it's not mine.", "saddle_numbness", True),
    # easing and onset said in passing
    # moving that helps, said with "which" or "out"
    ("I get up and potter around, which helps a lot.", "better_with_movement", True),
    ("Once I'm out jogging it settles right down.", "better_with_movement", True),
    ("Once I'm out jogging it settles right down.", "worse_during_running", False),
    # "X is my best friend" is a thing, not a person
    ("Ibuprofen is my best friend and walking about helps.", "better_with_movement", True),
    # the moment said as the act, then the back going
    ("Picked up my daughter's scooter and my back locked.", "sudden_onset_moment", True),
    ("It started on Friday with one clumsy lunge for the bus.", "sudden_onset_moment", True),
    # Classes found on set14 (the second dev set of round 5), in our own words.
    # the lower back named with a word that is not a pain word, or in a form field
    ("Site: lower back, across the middle.", "pain_low_back", True),
    ("My low back grabs when I stand up from the car.", "pain_low_back", True),
    ("My back's been bad all week: it's low and on the right.", "pain_low_back", True),
    # the back itself named as fine
    ("Nothing from the back itself, it's all hamstring.", "pain_low_back", False),
    ("My back itself feels okay, it's the hip.", "pain_low_back", False),
    # ages said as a field, trailing a description, or in words
    ("Runner (trail, mostly), 46.", "age_over_50", False),
    ("Age: 71, still doing parkrun.", "age_over_65", True),
    ("Fifty-eight, and I've run since school.", "age_over_50", True),
    # pressed on the bone, then the reaction
    ("When my physio pressed on the bony bit I shot off the bed.", "tender_bone_point", True),
    ("Tapping on my spine just there makes me yelp.", "tender_bone_point", True),
    # no better lying down and just there, whatever one does
    (
        "It's no better when I lie down and it's there all the time.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "It's always there, no matter what I'm doing.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    # "none since" ends a past fever; going off food is not a symptom going away
    ("I had flu in October with a high temperature, nothing since.", "fever_or_chills", False),
    ("I feel rotten and I've gone off my food.", "feeling_unwell", True),
    # Classes found on set15 (the third dev set of round 5), in our own words.
    # a markdown table is read as fields
    (
        "| Symptom | Answer |\n|---|---|\n| Fever | no |\n| Night pain | none |",
        "fever_or_chills",
        False,
    ),
    # form fields answered "none myself", clinical shorthand
    ("Cancer history: none myself, my aunt had it.", "history_of_cancer", False),
    ("Red flags: nil saddle anaesthesia, nil fever.", "saddle_numbness", False),
    # a normal temperature is a no
    ("I checked my temperature and it was 36.8.", "fever_or_chills", False),
    ("Took my temp this morning, it's totally normal.", "fever_or_chills", False),
    # a general question is asked, not told
    ("Can a fever come with a slipped disc?", "fever_or_chills", None),
    # positions with a place, or British "sat, stood"
    (
        "Sitting, standing, lying in bed, it is all the same ache.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "It's there whether I'm stood, sat or lying down.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    # the legs named before their denial (non-native word order)
    ("With the legs I have no problem at all.", "symptoms_both_legs", False),
    # pain going round to the front is asked, not tearing pain
    ("It goes round to the front under my ribs.", "tearing_pain_into_abdomen", None),
    ("A tearing pain went through to my belly.", "tearing_pain_into_abdomen", True),
    # a fall with the bike, a hard landing; a knee giving way; no power in the thigh
    ("On Sunday I have fallen off my bike on gravel.", "recent_trauma", True),
    ("I landed heavily on my tailbone at the ice rink.", "recent_trauma", True),
    ("My right knee keeps giving way on the stairs.", "leg_weakness", True),
    ("There's hardly any strength in my left calf.", "leg_weakness", True),
    # a spot on the spine that someone pokes, and the reaction
    (
        "There's a spot on my spine where if my husband taps it I jump a mile.",
        "tender_bone_point",
        True,
    ),
    # Classes found on set16 (the fourth dev set of round 5, heavy in warning signs), our own words.
    # numb like after a filling; "gone to sleep"; a body function gone odd is not gone
    ("Down there feels like my gum after a filling.", "saddle_numbness", True),
    ("My privates feel like they've gone to sleep.", "saddle_numbness", True),
    ("Weeing has gone a bit odd lately.", "bladder_change", None),
    ("I wait for ages for it to start when I pee.", "bladder_change", True),
    # weak tea is a colour; "a pink tinge"
    ("My wee is like weak tea with a pink tinge.", "urinary_burning_or_blood", True),
    ("My wee is like weak tea, a pink tinge.", "leg_weakness", None),
    # non-native "without to make diet"; "Fever I don't think so"; "not that I've noticed"
    ("I lose 4 kilo since August without to make any diet.", "unexplained_weight_loss", True),
    (
        "I've dropped near enough a stone and I'm eating like a horse.",
        "unexplained_weight_loss",
        True,
    ),
    ("Fever I don't think so.", "fever_or_chills", False),
    ("Temperature: not that I've noticed.", "fever_or_chills", False),
    ("Been real crook all week.", "feeling_unwell", True),
    ("Hot then freezing all night.", "fever_or_chills", True),
    # positions that do not help, and lists of positions then "the same"
    (
        "Standing still doesn't help, walking doesn't help either.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "Lying, walking, sitting, standing: all the same.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    # strong legs and inner thighs are not symptoms in both legs
    ("My legs are fine and strong, I can hop on either.", "symptoms_both_legs", False),
    ("Felt hot then cold all evening.", "fever_or_chills", True),
    ("Hot and freezing by turns.", "fever_or_chills", True),
    # the foot that slaps, the front of the foot that will not lift, a knee that buckles
    ("My right foot does a funny slap thing on the pavement.", "leg_weakness", True),
    ("I can't lift the front of my foot off the floor.", "leg_weakness", True),
    ("My knee buckled twice on the stairs.", "leg_weakness", True),
    ("The calf has no oomph in it.", "leg_weakness", True),
    ("The outside of my foot feels a bit dead.", "numbness_leg", True),
    # a spot on the spine one cannot press, a bony bit one cannot bear touched
    (
        "There's a spot near the base of my spine I can't touch without wincing.",
        "tender_bone_point",
        True,
    ),
    ("There's a bony bump I can't stand being prodded.", "tender_bone_point", True),
    # Classes found on set17 (the fifth dev set of round 5: forum and chat posts), in our own words.
    # quotation marks around words are read through
    ("My groin has gone 'numb' since Monday.", "saddle_numbness", True),
    # short steroid courses are not long-term
    (
        "Just the odd 3 day prednisolone course for my chest.",
        "osteoporosis_or_long_term_steroids",
        None,
    ),
    # a topic named to answer it
    ("Before anyone asks about cancer, my mum had it.", "history_of_cancer", None),
    # night pacing with no way of lying that helps; a new hole in the belt
    (
        "She's up most nights walking about because no position helps at all.",
        "night_pain_wakes",
        True,
    ),
    ("I've had to punch a new hole in my belt.", "unexplained_weight_loss", True),
    # "came off" opening a sentence, and what one landed on
    ("Came off at the lights yesterday, landed on my left hip.", "recent_trauma", True),
    ("Pressing on one bit of the bone there makes me see stars.", "tender_bone_point", True),
    ("There's a bony bump that makes me wince when I touch it.", "tender_bone_point", True),
    (
        "Since this started things in the bedroom just aren't working.",
        "new_sexual_dysfunction",
        True,
    ),
    (
        "There's a throbbing lump in my tummy and I can see it pulse.",
        "tearing_pain_into_abdomen",
        True,
    ),
    ("When I pee it takes forever to get going.", "bladder_change", True),
    ("It dribbles at the end now, which is new.", "bladder_change", True),
    ("It's just as bad lying in bed as walking.", "constant_pain_unchanged_by_position", True),
    (
        "It doesn't really matter whether I'm sitting or lying, it's there.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    # Classes found on set13 (the final set of round 5) after its one first run, in our own words.
    ("Most nights at 3am I can't lie in any position that eases it.", "night_pain_wakes", True),
    ("He was up half the night pacing the hall.", "night_pain_wakes", True),
    (
        "It's there all the time, lying, walking, sitting, doesn't really matter.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "My weight is usually 60 but I'm 55 now and not dieting at all.",
        "unexplained_weight_loss",
        True,
    ),
    (
        "The pain was down my left leg and now the right leg has joined in.",
        "symptoms_both_legs",
        True,
    ),
    ("She says she feels nothing when she sits on the loo.", "saddle_numbness", None),
    ("I feel nothing when I sit on the loo seat.", "saddle_numbness", True),
    ("I can't pass water at all since this morning.", "bladder_change", True),
    ("I hurt my back lifting my poorly toddler; no fever myself.", "fever_or_chills", False),
    ("The weight has just dropped off since I started the new job.", "recent_trauma", None),
    ("I'm a pharmacist on an oncology ward.", "history_of_cancer", None),
    ("My gran's spine crumbled with osteoporosis.", "osteoporosis_or_long_term_steroids", None),
    # round5 set13 more
    ("There's a knobbly bit of bone there that's agony to touch.", "tender_bone_point", True),
    (
        "It hurts all the time and she can't get comfy in bed or on the sofa.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    ("He looks grey and he's off his food.", "feeling_unwell", True),
    ("I've cut out most carbs to get lighter.", "low_energy_availability", True),
    ("I had to really push to wee this morning.", "bladder_change", True),
    ("Kind of numb round my bum and bits since the ride.", "saddle_numbness", True),
    # Classes found on set18 (round 5's sixth dev set), in our own words.
    ("Came off my road bike on Saturday and hit the deck hard.", "recent_trauma", True),
    ("I nearly came off my bike on the ice.", "recent_trauma", None),
    ("Whenever I come off the bike my back is tight for a mile.", "recent_trauma", None),
    ("When my wife presses one of the bony lumps there I yelp.", "tender_bone_point", True),
    ("I peed blood after the race.", "urinary_burning_or_blood", True),
    (
        "Things haven't been working down there since Friday, if you know what I mean.",
        "new_sexual_dysfunction",
        True,
    ),
    (
        "Sitting at the desk, standing in the queue, lying on the floor, it's all the same.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "It's constant and it doesn't ease when I lie down.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    (
        "I'm peeing constantly because I drink so much, no pain there.",
        "constant_pain_unchanged_by_position",
        None,
    ),
    ("My knee's been crook for a week.", "feeling_unwell", None),
    ("Cancer: not me - my uncle had it.", "history_of_cancer", False),
    ("NO: fever, weight loss, numbness between the legs.", "saddle_numbness", False),
    ("NO: fever, weight loss, numbness between the legs.", "fever_or_chills", False),
    ("no back pain 😬 also peed blood this morning", "urinary_burning_or_blood", True),
    ("Both legs feel strong and I can hop on each.", "symptoms_both_legs", None),
    (
        "She'd had numbness in her groin and then couldn't pee, my friend said.",
        "bladder_change",
        None,
    ),
    ("I'm a cancer nurse on a chemo unit.", "history_of_cancer", None),
    # Classes found on set19 (the second final set of round 5) after its one first run.
    ("I landed mostly on my bum on the gravel.", "recent_trauma", True),
    (
        "The doctor said my bones were a bit thin and I take a weekly tablet for it.",
        "osteoporosis_or_long_term_steroids",
        True,
    ),
    ("Going for a number two I can't tell when I'm done.", "bowel_change", True),
    (
        "It's there all the time: sitting, walking, lying, nothing changes it.",
        "constant_pain_unchanged_by_position",
        True,
    ),
    ("Things in the bedroom haven't worked since the fall.", "new_sexual_dysfunction", True),
    ("Slightly slow stream for years with my prostate, no change.", "bladder_change", None),
    ("I can hop on either leg without any pain.", "symptoms_both_legs", None),
    ("At night I could feel a pulsing lump in my tummy.", "tearing_pain_into_abdomen", True),
    ("68 and still racing parkrun most weeks.", "age_over_65", True),
    (
        "There's a spot right in the middle of my back that's sore if my partner presses it.",
        "tender_bone_point",
        True,
    ),
    ("I upped my run volume for the marathon block.", "recent_mileage_increase", True),
    ("It hurts, no position helps, hot and cold and shaky all night.", "fever_or_chills", True),
    ("I slipped up last month and had a drink.", "recent_trauma", None),
    (
        "Sore lying on that hip at night, but I roll off it and it settles.",
        "night_pain_wakes",
        False,
    ),
]


@pytest.mark.parametrize(("text", "finding", "value"), READINGS)
def test_each_class_is_read(text: str, finding: str, value: bool | None) -> None:
    assert answers(text).get(finding) is value


# What each class must at least ask (a yes also does), grouped the same way.
ASKED = [
    # round5 set15 asked
    (
        "It hurts lying down, hurts sitting, hurts everything.",
        "constant_pain_unchanged_by_position",
    ),
    ("I've been feeling very weak and low and not eating.", "feeling_unwell"),
    ("My foot drags now. It's worse than it was last week.", "progressive_weakness"),
    # round5 set16 asked
    (
        "Since Saturday the skin round my back passage feels like my lip after the dentist.",
        "saddle_numbness",
    ),
    (
        "It was barely there on Monday and today it's much worse, I keep catching my toe.",
        "progressive_weakness",
    ),
    ("Can't find any comfy spot, resting doesn't help.", "constant_pain_unchanged_by_position"),
    (
        "The pain is awful. It builds and builds until I'm on all fours, then lets go.",
        "pain_in_waves",
    ),
    ("No morning glory for weeks now, which is new.", "new_sexual_dysfunction"),
    ("My foot started catching: started Tues, worse by Fri.", "progressive_weakness"),
    ("When I sit on the loo the skin there feels strange.", "saddle_numbness"),
    ("My little fella is not working any more since this started.", "new_sexual_dysfunction"),
    # round5 set18 asked
    ("My foot drags and it seems weaker every few days.", "progressive_weakness"),
    (
        "I've knocked about 8 kg off since June and I'm not eating any differently.",
        "unexplained_weight_loss",
    ),
]


@pytest.mark.parametrize(("text", "finding"), ASKED)
def test_each_class_is_read_or_asked(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True or finding in asked(text)
