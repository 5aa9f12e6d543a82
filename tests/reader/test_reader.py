"""The reader through the real medspaCy pipeline: context, extractors, evidence and bad input."""

from __future__ import annotations

from datetime import date

import pytest

from backstride.engine.evidence import Origin
from backstride.reader import MAX_CHARS, read_story

TODAY = date(2025, 3, 15)


def read(text: str) -> dict[str, bool]:
    return read_story(text, today=TODAY).evidence().as_dict()


def mentions_of(text: str, fid: str) -> list[tuple[bool, tuple[str, ...], bool]]:
    return [
        (m.present, m.context, m.uncertain)
        for m in read_story(text, today=TODAY).mentions
        if m.id == fid
    ]


# ------------------------------------------------------------------ negation
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("No numbness in my legs.", "numbness_leg"),
        ("I haven't had any fever.", "fever_or_chills"),
        ("Denies numbness, tingling, weakness, bowel or bladder changes.", "bladder_change"),
        ("Denies numbness, tingling, weakness, bowel or bladder changes.", "pins_and_needles_leg"),
        ("Sore back without any tingling.", "pins_and_needles_leg"),
        ("I've never had cancer.", "history_of_cancer"),
        ("Peeing is normal.", "bladder_change"),
        ("No problems peeing.", "bladder_change"),
        ("I don't have any pins and needles or numbness.", "numbness_leg"),
        ("It does not go below the knee.", "leg_pain_below_knee"),
    ],
)
def test_negated_mentions_are_no(text: str, fid: str) -> None:
    assert read(text).get(fid) is False


def test_inability_is_not_negation() -> None:
    got = read("I haven't been able to pee properly and I can't feel my legs.")
    assert got["bladder_change"] is True
    assert got["numbness_leg"] is True


def test_negation_stops_at_a_new_clause() -> None:
    got = read("I have no back pain really, it's more my bum.")
    assert got["pain_buttock"] is True


def test_negation_stops_at_but() -> None:
    got = read("No numbness or tingling but my left leg is weak.")
    assert got["numbness_leg"] is False
    assert got["leg_weakness"] is True


# ------------------------------------------------------------------ family, history, hypothetical
def test_family_history_from_a_relative() -> None:
    got = read("My dad has ankylosing spondylitis.")
    assert got == {"family_history_spondyloarthritis": True}


def test_a_relatives_cancer_is_not_the_persons() -> None:
    assert "history_of_cancer" not in read("My mum had breast cancer.")
    ((present, context, _),) = mentions_of("My mum had breast cancer.", "history_of_cancer")
    assert not present and "family" in context  # not the person's (issue 9)


def test_negated_family_history() -> None:
    assert read("No family history of AS.")["family_history_spondyloarthritis"] is False


def test_past_cancer_counts_as_history() -> None:
    assert read("I had cancer 5 years ago.")["history_of_cancer"] is True


def test_past_symptom_is_asked_not_answered() -> None:
    reading = read_story("Years ago I used to get numbness in my foot.", today=TODAY)
    assert "numbness_leg" not in reading.evidence()
    assert "numbness_leg" in reading.uncertain_ids()


@pytest.mark.parametrize(
    "text",
    [
        "If I get numbness I should go to A&E.",
        "The physio said to come back if I develop fever, weight loss, or numbness.",
        "If my legs go numb or I can't wee I should ring 999.",
    ],
)
def test_hypothetical_mentions_are_not_answers(text: str) -> None:
    got = read(text)
    for fid in ("numbness_leg", "fever_or_chills", "bladder_change", "symptoms_both_legs"):
        assert fid not in got


def test_conditional_aggravating_factor_is_factual() -> None:
    assert read("If I sit for more than 20 minutes my bum aches.")["worse_sitting"] is True


# ------------------------------------------------------------------ uncertain
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("It might be sciatica.", "leg_pain_below_knee"),
        ("Maybe some tingling in my foot.", "pins_and_needles_leg"),
        ("Not sure if my right foot is weak.", "leg_weakness"),
        ("Possibly my shoes are worn out.", "shoes_worn_or_changed"),
    ],
)
def test_uncertain_mentions_are_asked_early(text: str, fid: str) -> None:
    reading = read_story(text, today=TODAY)
    assert fid not in reading.evidence()
    assert fid in reading.uncertain_ids()
    assert any(m.uncertain for m in reading.mentions if m.id == fid)


def test_bare_topic_word_is_asked_but_its_denial_is_a_no() -> None:
    assert "bladder_change" in read_story("My bladder.", today=TODAY).uncertain_ids()
    assert read("No bladder problems.")["bladder_change"] is False


# ------------------------------------------------------------------ red flag safety
def test_red_flag_read_as_present_wins_over_a_denial() -> None:
    reading = read_story(
        "Bladder and bowels normal. Actually I can't really tell when I need to pee.", today=TODAY
    )
    assert reading.evidence()["bladder_change"].value is True


def test_negated_red_flags_do_not_fire() -> None:
    got = read("No fever, no weight loss, no numbness, no bladder or bowel problems, no falls.")
    for fid in (
        "fever_or_chills",
        "unexplained_weight_loss",
        "numbness_leg",
        "bladder_change",
        "bowel_change",
        "recent_trauma",
    ):
        assert got[fid] is False


def test_story_answers_are_marked_as_from_the_story() -> None:
    evidence = read_story("No fever.", today=TODAY).evidence()
    assert evidence["fever_or_chills"].origin is Origin.STORY


def test_conflict_on_an_ordinary_finding_is_asked() -> None:
    reading = read_story("Pain on the left side. Now it is on both sides.", today=TODAY)
    assert "pain_one_side" not in reading.evidence()
    assert "pain_one_side" in reading.uncertain_ids()


# ------------------------------------------------------------------ durations
@pytest.mark.parametrize(
    ("text", "two", "six", "three_months"),
    [
        ("Back pain for 4 days.", False, False, False),
        ("My back has hurt for the past couple weeks.", True, False, False),
        ("Sore back for 3 months now.", True, True, True),
        ("Pain in my bum since January.", True, True, False),  # 43 to 73 days before 15 March
        ("Lower back ache for about six weeks.", True, True, False),
        ("Back pain started 3 weeks ago.", True, False, False),
        ("Pain since last Tuesday.", False, False, False),
    ],
)
def test_durations(text: str, two: bool, six: bool, three_months: bool) -> None:
    got = read(text)
    assert got.get("duration_over_2_weeks") is two
    assert got.get("duration_over_6_weeks") is six
    assert got.get("duration_over_3_months") is three_months


@pytest.mark.parametrize(
    ("text", "two", "six", "three_months"),
    [
        # a past episode that ended is history, not this episode's length
        (
            "I had a bad back with sciatica about 8 years ago which cleared up with physio. "
            "Five days ago my lower back started aching.",
            False,
            False,
            False,
        ),
        # a time about something else (a job, an illness, a drug) is not the pain's
        (
            "Working from home since the spring. Five days ago my back started aching.",
            False,
            False,
            False,
        ),
        ("Had an abscess a fortnight ago. Since Thursday my back is agony.", False, False, False),
        (
            "She's on methotrexate, has been for years. She slipped on Sunday and her back hurts.",
            False,
            False,
            False,
        ),
        (
            "Stress fracture in my foot last year. Now there's a deep ache in my hip.",
            None,
            None,
            None,
        ),
        # the back, or "it", is the pain's story
        ("Back went 10 days ago after a long ride.", False, False, False),
        ("Knackered my back deadlifting on Monday.", False, False, False),
        (
            "Pain in my groin. Been going on about five months, slowly getting worse.",
            True,
            True,
            True,
        ),
        (
            "Pain low in my back, settles with a day or two of rest. Had it about 3 weeks.",
            True,
            False,
            False,
        ),
        ("Standing in the kitchen for ages bothers it. 4 months.", True, True, True),
        ("Since half year my low back is stiff in the morning.", True, True, True),
        ("3 weeks of left sciatica, down to the big toe.", True, False, False),
        ("mum fell off the step yest, her back is v sore.", False, False, False),
        ("sore back since the long run this morn", False, False, False),
        ("Sore lower back after my first hill session on Saturday.", False, False, False),
        # the day of an event that the next sentence ties to the pain
        ("Sunday I dug the garden. Tuesday morning my lower back was stiff.", False, False, False),
        ("Proper sore bum after my long run Sunday.", False, False, False),
        (
            "Did the Dublin Marathon Sunday. Now it's Wednesday and I've a pain in my side.",
            False,
            False,
            False,
        ),
        (
            "Hill reps session on Tuesday. Thursday now and my lower back is aching.",
            False,
            False,
            False,
        ),
        (
            "went bouldering yesterday then a 15k long run this morn. now my lower back is smashed",
            False,
            False,
            False,
        ),
        (
            "Bent over to pick up a bag a couple of weeks back, felt a twinge in my back.",
            True,
            False,
            False,
        ),
        ("past week my back's been killin me", False, False, False),
        ("Last fortnight she's had a sore low back.", True, False, False),
        (
            "An ache across my lower back after long runs for the past fortnight.",
            True,
            False,
            False,
        ),
        ("rt glute pian 4 wks, deep in the bum", True, False, False),
        # "now" after an illness is a new pain, not the illness's time
        ("Had a tooth abscess a month ago. Now I've got low back pain.", None, None, None),
        ("Went from 30 to 60 miles a week over the past month. My groin aches.", None, None, None),
        ("Back pain since 2019.", True, True, True),
        ("I had a stress fracture two years ago. Back pain for 3 days.", False, False, False),
        ("low back pain 3 days after gardening, no fever", False, False, False),
        ("Mine is a sore right glute after speed work, 6 days, 29F.", False, False, False),
        ("Two weeks after a biopsy I've got new pain in my side.", None, None, None),
        (
            "Ran a marathon 3 weeks ago and the pain in my groin never went away.",
            True,
            False,
            False,
        ),
        (
            "Injection 3 weeks ago. Grand for a week, then the pain came roaring back.",
            True,
            False,
            False,
        ),
        # not a length of time
        (
            "Back into running after bub #2 (she's 9 months now). Pain in my pelvis.",
            None,
            None,
            None,
        ),
        ("should I run the parkrun Saturday? my back is sore", None, None, None),
        (
            "Low back on the left, went when I lifted my bike on Saturday. 45 yrs, triathlete.",
            False,
            False,
            False,
        ),
        ("My hip started hurting 3 weeks into my new plan.", None, None, None),
        ("Lower back pain got much worse three days ago.", None, None, None),
    ],
)
def test_the_time_that_dates_this_episode(
    text: str, two: bool | None, six: bool | None, three_months: bool | None
) -> None:
    got = read(text)
    assert (
        got.get("duration_over_2_weeks"),
        got.get("duration_over_6_weeks"),
        got.get("duration_over_3_months"),
    ) == (two, six, three_months)


@pytest.mark.parametrize(
    ("text", "sudden"),
    [
        ("Bent over to pick up a bag, felt a sharp twinge low in my back.", True),
        ("bent to pick up my kit bag this morn and my bak just went proper locked up", True),
        ("ok so my back went deadlifting tues", True),
        ("Back went yesterday lifting the paddle board.", True),
        ("Bent down to pick up a shoe and OUCH, my low back went into spasm.", True),
        ("sharp pain L low back bent over to tie shoe yesterday, locked up", True),
        ("Pulled something in the left side of my lower back reaching for the wall.", True),
        ("I bent down to lift a box and felt a sudden sharp ping.", True),
        # "sudden" with no strain is not the moment the vocabulary asks about
        ("About an hour ago he got a sudden terrible pain in his back, like tearing.", None),
        ("Out of nowhere at 5am, pain on my right side that comes in waves.", None),
        ("last week or so my low back went really sore right in the middle", None),
        ("my wife (52) cant feel the toilet paper since her back went yesterday", None),
    ],
)
def test_a_moment_of_onset_needs_a_strain(text: str, sudden: bool | None) -> None:
    assert read(text).get("sudden_onset_moment") is sudden


def test_a_sentence_that_opens_years_back_is_history() -> None:
    got = read(
        "Background: five years ago I had a big disc prolapse with numbness in both legs and "
        "had to be catheterised - surgery sorted it. Now 49M. This week it's a normal achy low "
        "back on the right, no numbness."
    )
    assert "symptoms_both_legs" not in got
    assert got["numbness_leg"] is False


def test_a_past_episode_is_the_history_of_back_pain() -> None:
    got = read(
        "I had a bad back with sciatica down my left leg about 8 years ago which cleared up. "
        "Five days ago my lower back started aching."
    )
    assert got.get("history_of_low_back_pain") is True
    got = read("Long-term sufferer here (bad back on and off since my 20s). This bout: 4 months.")
    assert got.get("history_of_low_back_pain") is True
    assert got.get("duration_over_3_months") is True


@pytest.mark.parametrize(
    ("text", "history"),
    [
        ("I had sciatica 3 years ago. Now my buttock aches.", True),
        ("Had back and disc trouble on and off for years. It flared a week ago.", True),
        # someone else's past episode is not the writer's history
        ("My running buddy had sciatica last year, so I'm paranoid. My back aches.", None),
    ],
)
def test_whose_past_episode(text: str, history: bool | None) -> None:
    assert read(text).get("history_of_low_back_pain") is history


def test_since_a_month_counts_from_the_given_date() -> None:
    early = read_story("Back pain since February.", today=date(2025, 2, 20)).evidence()
    late = read_story("Back pain since February.", today=date(2025, 6, 20)).evidence()
    assert early["duration_over_6_weeks"].value is False
    assert late["duration_over_3_months"].value is True


@pytest.mark.parametrize(
    "text",
    [
        "I've been running for 10 years and my back hurts.",
        "I run 3 times a week, back is sore.",
        "If it lasts more than 6 weeks I'll see someone.",
    ],
)
def test_durations_about_something_else_are_ignored(text: str) -> None:
    assert "duration_over_6_weeks" not in read(text)


# ------------------------------------------------------------------ side
@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("Pain in my right buttock.", True),
        ("Sore on the left side of my lower back.", True),
        ("An ache across my lower back.", False),
        ("Sore on both sides.", False),
    ],
)
def test_side(text: str, one: bool) -> None:
    got = read(text)
    assert got["pain_one_side"] is one
    assert got["pain_both_sides"] is not one


def test_right_as_a_filler_word_is_not_a_side() -> None:
    got = read("Right now the pain is right in the middle of my back.")
    assert "pain_one_side" not in got
    assert got["pain_central_spine"] is True


# ------------------------------------------------------------------ age and sex
@pytest.mark.parametrize(
    ("text", "under_20", "over_50", "over_65"),
    [
        ("I'm 52 and my back hurts.", False, True, False),
        ("27M, runner.", False, False, False),
        ("16 year old cross country runner.", True, False, False),
        ("I'm 70.", False, True, True),
        ("Back pain. In my late sixties.", False, True, True),
    ],
)
def test_ages(text: str, under_20: bool, over_50: bool, over_65: bool) -> None:
    got = read(text)
    assert (got["age_under_20"], got["age_over_50"], got["age_over_65"]) == (
        under_20,
        over_50,
        over_65,
    )


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 50 next month, female, and my back aches.", 49),
        ("Right so. 50 next month. Sciatica left side for a month.", 49),
        ("Cancer survivor. 53 now, run 4 days a week.", 53),
        ("my back is wrecked since the half, 19 btw, never had back probs", 19),
        ("Low back on the left, went on Saturday. 45 yrs, triathlete.", 45),
        ("I run since 3 years. My father has AS. I have 27 years.", 27),
        ("Mum of three, 44. Deep ache in my left buttock.", 44),
        ("Numb patch on my cheek. 36. About 6 weeks-ish.", 36),
        ("I'm 52, run 60k a week, upped it from 40 last month.", 52),
        # an exact age wins over an age word ("since I was a teenager")
        ("31 y/o guy. Psoriasis since I was a teenager.", 31),
    ],
)
def test_an_age_said_in_passing(text: str, age: int) -> None:
    got = read(text)
    assert (got["age_under_20"], got["age_over_50"], got["age_over_65"]) == (
        age < 20,
        age >= 50,
        age >= 65,
    )


def test_a_count_is_no_age() -> None:
    assert "age_under_20" not in read("I did 12 in 3 weeks and my back hurts.")
    assert "age_under_20" not in read("Back pain for ages. 10 years.")


def test_a_numbered_list_item_is_no_age() -> None:
    assert "age_under_20" not in read("My back hurts.\n10. Worse sitting.\n11. Better walking.")


def test_a_range_that_straddles_a_threshold_leaves_it_open() -> None:
    got = read("I'm in my sixties.")
    assert got["age_over_50"] is True
    assert "age_over_65" not in got


def test_someone_elses_age_is_not_the_persons() -> None:
    assert "age_under_20" not in read("My son is 15 and I run with him.")


@pytest.mark.parametrize(
    ("text", "female"),
    [
        ("27F, marathoner", True),
        ("I'm a woman who runs", True),
        ("Female marathoner here", True),
        ("guy here, 40", False),
        ("45, bloke, club runner", False),
        ("71 year old male", False),
    ],
)
def test_sex(text: str, female: bool) -> None:
    assert read(text)["sex_female"] is female


@pytest.mark.parametrize(
    ("text", "female"),
    [
        ("Hello, I am 40, man, I run marathons.", False),
        ("I am 26 years man, I run trail.", False),
        ("27, M. Crohn's since uni.", False),
        ("About me:\n- 46, F, office manager", True),
        ("Age: 31   Sex: F", True),
        ("59M. Had a melanoma cut out in 2020.", False),  # a sentence in the past still tells
        ("I'm 69 and had my prostate out for cancer in 2011.", False),
        ("Low back ache after long runs. Periods still regular.", True),
    ],
)
def test_sex_said_in_passing(text: str, female: bool) -> None:
    assert read(text)["sex_female"] is female


def test_a_relatives_prostate_is_not_the_persons_sex() -> None:
    assert "sex_female" not in read("My dad had prostate cancer. My back hurts.")


@pytest.mark.parametrize(
    ("text", "runner"),
    [
        ("61, retired, still run 25ish miles a week.", True),
        ("58 year old woman, parkrunner, asthmatic.", True),
        ("He's 69, still runs 5Ks.", True),
        ("34, woman, run with a club in Bristol.", True),
        ("My lower back started aching after a long Sunday run.", True),
        ("ran 30k sun. back v sore since", True),
        ("Haven't run since, normally do 20 mi/wk.", True),
        ("Runs are ok-ish but it nags afterwards.", True),
        ("69 year old lady, gave up running ten years ago, now I walk the dog.", False),
        ("Been running a temperature since Tuesday.", None),
        ("For three nights running he's soaked the sheets.", None),
    ],
)
def test_running_in_other_words(text: str, runner: bool | None) -> None:
    assert read(text).get("runner") is runner


def test_other_people_are_not_the_persons_sex() -> None:
    assert "sex_female" not in read("A woman at my club told me to stretch.")


# ------------------------------------------------------------------ lay words
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("my lower back and upper glutes ache", "pain_buttock"),
        ("sore bum after sitting in the car", "pain_buttock"),
        ("pins n needles in my toes", "pins_and_needles_leg"),
        ("ibuprofen works wonders", "nsaid_helps_a_lot"),
        ("Nurofen sorts it out", "nsaid_helps_a_lot"),
        ("Advil barely touches it", "nsaid_no_help"),
        ("spending more time in the aero position", "long_aero_rides"),
        ("worse when I run straight off the bike", "worse_running_off_bike"),
        ("wee is coming out weird", "bladder_change"),
        ("I'm a triathlete", "runner"),
    ],
)
def test_lay_words(text: str, fid: str) -> None:
    assert read(text)[fid] is True


# ------------------------------------------------------------------ spans and bad input
def test_mention_text_is_the_exact_words() -> None:
    text = "Hi. Haven\u2019t been able to pee properly since Monday."
    reading = read_story(text, today=TODAY)
    (m,) = [m for m in reading.mentions if m.id == "bladder_change"]
    assert text[m.start : m.end] == m.text == "Haven\u2019t been able to pee"
    assert m.present


@pytest.mark.parametrize(
    "text", ["", "   \n ", "😀😀😀🏃‍♀️", "Me duele la espalda desde hace tres semanas."]
)
def test_nothing_readable_gives_a_message(text: str) -> None:
    reading = read_story(text, today=TODAY)
    assert reading.mentions == ()
    assert len(reading.evidence()) == 0
    assert reading.messages


def test_long_text_is_truncated_with_a_message() -> None:
    story = "No fever. " + "My back is sore after running. " * 4000
    reading = read_story(story, today=TODAY)
    assert reading.truncated
    assert len(reading.text) <= MAX_CHARS
    assert any(f"{MAX_CHARS:,}" in m and "was not read" in m for m in reading.messages)
    assert reading.evidence()["fever_or_chills"].value is False


def test_a_warning_sign_at_the_end_of_a_long_post_is_read() -> None:
    # A 20,000-character post, well past the old 5,000-character cut, read in pieces.
    story = "My back is sore after running, worse on hills. " * 440 + (
        "Oh and since yesterday I can't feel the toilet paper when I wipe."
    )
    assert len(story) > 20_000
    reading = read_story(story, today=TODAY)
    assert not reading.truncated
    assert reading.evidence()["saddle_numbness"].value is True
    mention = next(m for m in reading.mentions if m.id == "saddle_numbness")
    assert story[mention.start : mention.end] == mention.text


def test_emoji_among_words() -> None:
    got = read("bum pain 😩 when i sit >30 min, runner 🏃, no sciatica")
    assert got["pain_buttock"] is True and got["worse_sitting"] is True
    assert got["leg_pain_below_knee"] is False


def test_not_text_is_refused() -> None:
    with pytest.raises(TypeError):
        read_story(None)  # type: ignore[arg-type]


def test_a_red_flag_denied_and_hedged_is_asked_not_answered_no() -> None:
    reading = read_story("No weakness. Maybe my left foot is a bit weak though.", today=TODAY)
    assert "leg_weakness" not in reading.evidence()
    assert "leg_weakness" in reading.uncertain_ids()


@pytest.mark.parametrize(
    "text",
    ["The pain shot up my spine when I bent down.", "I used up all my energy on the hills."],
)
def test_shot_up_and_used_up_are_not_drug_use(text: str) -> None:
    assert "immunosuppressed_or_iv_drug_use" not in read_story(text).evidence()


# ---------------------------------------------------------------- input hygiene (issue 9)
@pytest.mark.parametrize(
    "text",
    [
        "\x1b[31m\x1b[1mlow back pain\x1b[0m, no fever",  # terminal colours
        "[31mlow back pain[0m, no fever",  # the same with the escape character lost
        "ｌｏｗ ｂａｃｋ ｐａｉｎ, no fever",  # full-width letters
        "low\u200b back pain, no\u00a0fever",  # zero-width space, no-break space
    ],
)
def test_pasted_text_reads_like_plain_text(text: str) -> None:
    reading = read_story(text, today=TODAY)
    evidence = reading.evidence().as_dict()
    assert evidence.get("pain_low_back") is True
    assert evidence.get("fever_or_chills") is False
    assert "sex_female" not in evidence and "age_over_50" not in evidence  # "31m" is no age
    for m in reading.mentions:  # every mention still quotes the text as given
        assert text[m.start : m.end] == m.text


def test_invalid_bytes_do_not_stop_the_reader() -> None:
    raw = b"sore low back \xff\xfe and no fever".decode("utf-8", "surrogateescape")
    reading = read_story(raw, today=TODAY)
    assert reading.evidence()["fever_or_chills"].value is False
    assert "\ufffd" in reading.text and "\udcff" not in reading.text


# ------------------------------------------------------------------ quoted lines
def test_a_quoted_groin_question_answered_no_is_a_no() -> None:
    assert read("> any numbness in your groin?\nno, nothing like that")["saddle_numbness"] is False


def test_a_story_that_is_one_quoted_line_is_the_persons_own() -> None:
    # a pasted prompt (">>> ISSUE: ...") with nothing after it is not someone else's question
    text = ">>> ISSUE: deep ache in my left buttock for two months, worse after long drives."
    assert read(text)["pain_buttock"] is True
    assert read(text)["worse_sitting"] is True


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[1;31m>>> ISSUE:\x1b[0m low back pain for two months now, no fever",  # a prompt
        ">>> low back pain for two months now, no fever",
        "> low back pain for two months now, no fever",  # set off with ">", answered by nothing
    ],
)
def test_a_prompt_or_unanswered_quote_is_the_writers_own_text(text: str) -> None:
    got = read_story(text, today=TODAY).evidence().as_dict()
    assert got.get("pain_low_back") is True
    assert got.get("fever_or_chills") is False
    assert got.get("duration_over_6_weeks") is True


def test_a_quoted_question_is_answered_by_the_reply() -> None:
    got = read_story("> any numbness down there?\nno, nothing like that\n", today=TODAY)
    assert got.evidence().as_dict().get("saddle_numbness") is False
    unanswered = read_story("> any numbness down there?\nback pain, 2 weeks", today=TODAY)
    assert unanswered.evidence().as_dict().get("saddle_numbness") is None


def test_markdown_emphasis_is_read_through() -> None:
    text = "**Age:** 45\n**Sex:** M\n* low back pain for 3 weeks"
    reading = read_story(text, today=TODAY)
    got = reading.evidence().as_dict()
    assert got["age_over_50"] is False and got["sex_female"] is False
    assert got["duration_over_2_weeks"] is True
    for m in reading.mentions:  # still the person's own characters
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "fever"),
    [
        ("Low back pain. Any fever?", None),  # a question put to someone tells nothing
        ("Low back pain.\nDoctor: any fever?\nMe: no fever", False),  # a pasted chat
        ("Low back pain. Have you had a fever? Nope, none.", False),
        ("Any fever? Yes, 38.5 last night.", True),
        ("Low back pain. Any fever? Not sure, maybe a bit hot.", None),  # unsure: asked
    ],
)
def test_a_question_put_to_someone_is_asked_not_told(text: str, fever: bool | None) -> None:
    reading = read_story(text, today=TODAY)
    assert reading.evidence().as_dict().get("fever_or_chills") is fever
    if fever is None:
        assert "fever_or_chills" in reading.uncertain_ids()


def test_the_writers_own_question_about_their_symptom_keeps_it() -> None:
    got = read("Anything I can do about the numbness in my groin?")
    assert got.get("saddle_numbness") is True


# Issue 9, set11: a story with no "for N weeks" dated only by its start month was read with no
# duration, and a constant, night-waking ache of unknown age fits an aneurysm (a false emergency).
@pytest.mark.parametrize(
    "text",
    [
        "67M. started mid december, ache low in the back right in the middle.",
        "It began early December, a dull ache in my lower back.",
        "Back pain came on late November and it's still there.",
        "Sore lower back, kicked off early December after a long run.",
    ],
)
def test_a_start_month_dates_the_pain(text: str) -> None:
    assert read(text).get("duration_over_6_weeks") is True


# Issue 9, set11: a friend named with a word before the noun ("my running buddy") is still
# someone else; his numbness down below is not the writer's.
@pytest.mark.parametrize(
    "text",
    [
        "My running buddy had surgery after ignoring numbness down below, so I'm paranoid.",
        "My best friend went numb between the legs after a disc went.",
        "A club mate lost all feeling in the saddle area and ended up in theatre.",
        "Our old coach had numbness down below and couldn't pee.",
    ],
)
def test_a_described_friend_is_someone_else(text: str) -> None:
    got = read(text)
    assert got.get("saddle_numbness") is None and got.get("bladder_change") is None


# Issue 9, set11: the under-triaged stories, by class of wording (each with our own variants).
@pytest.mark.parametrize(
    ("text", "fid", "value"),
    [
        # a hard landing on the seat, a missed kerb or step
        ("Missed the kerb and sat down hard on my bottom. Back sore since.", "recent_trauma", True),
        ("I misjudged the last step and came down heavily on my tailbone.", "recent_trauma", True),
        ("Slid off the stool and dropped with a thud onto my backside.", "recent_trauma", True),
        # sore when the bone is pressed or tapped
        ("Middle of my spine, very sore if I press on the bony bit.", "tender_bone_point", True),
        ("Low back pain, and it's sore to tap on the bone.", "tender_bone_point", True),
        ("It hurts when you knock on my spine with a finger.", "tender_bone_point", True),
        # the middle of the back in other words
        ("Low back pain, dead centre, getting worse daily.", "pain_central_spine", True),
        ("Aching lower back, slap bang in the middle.", "pain_central_spine", True),
        # blood or burning when peeing, told by colour or simile
        ("My wee is a rosé colour.", "urinary_burning_or_blood", True),
        ("Peeing feels like passing broken glass.", "urinary_burning_or_blood", True),
        ("When I pee there's blood at the end.", "urinary_burning_or_blood", True),
        # colic told as surges that back off and come back
        ("The pain comes in great surges and I can't keep still.", "pain_in_waves", True),
        ("It hits me in bursts, eases off for a minute, then comes back.", "pain_in_waves", True),
        ("The pain surges, then dies down, then surges again.", "pain_in_waves", True),
    ],
)
def test_set11_classes_that_raise_triage(text: str, fid: str, value: bool) -> None:
    assert read(text).get(fid) is value


@pytest.mark.parametrize(
    "text",
    [
        "It eases off once I warm up and then comes back at the end of the run.",
        "Sat on my bum all day at work and my back aches.",
    ],
)
def test_set11_near_misses_are_not_red_flags(text: str) -> None:
    got = read(text)
    assert got.get("pain_in_waves") is None and got.get("recent_trauma") is None


def test_a_double_negative_does_not_deny() -> None:
    # "not that I'm not peeing - I am": no denial of a bladder change
    assert read("Not that I'm not peeing - I am, every hour.").get("bladder_change") is None
    assert read("It's not that I'm not weeing, I go all the time.").get("bladder_change") is None


@pytest.mark.parametrize(
    "text",
    [
        "My mum is 72 (she'll kill me for typing this). She's had a sharp pain over her spine.",
        "My dad is 80 and would kill me for posting. He's had a bad ache in his lower back.",
    ],
)
def test_a_threat_to_the_writer_is_not_their_own_pain(text: str) -> None:
    assert read(text).get("age_over_65") is True


# Issue 9, set11 (b11-045, b11-049): double negatives, legs in the plural changing over time,
# retention of the bowel, numb sex, "as usual" for the bladder and bowel.
@pytest.mark.parametrize(
    ("text", "fid", "value"),
    [
        ("My legs have been getting weaker - both of them.", "symptoms_both_legs", True),
        ("My legs keep going numb on long runs.", "symptoms_both_legs", True),
        ("Haven't opened my bowels in 3 days.", "bowel_change", True),
        ("Not had a poo for four days and my back is killing me.", "bowel_change", True),
        ("Sex with my partner on Sunday felt numb.", "new_sexual_dysfunction", True),
        ("Intimacy with my husband was strangely muted last week.", "new_sexual_dysfunction", True),
        ("Numb down there during sex last night.", "new_sexual_dysfunction", True),
        ("Waterworks no different from usual.", "bladder_change", False),
        ("Bladder and bowels as always.", "bowel_change", False),
        ("Pee is the same as ever.", "bladder_change", False),
    ],
)
def test_set11_classes_from_the_emergencies_read_as_urgent(
    text: str, fid: str, value: bool
) -> None:
    assert read(text).get(fid) is value


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't say it doesn't wake me - it does, most nights.",
        "Can't say my back doesn't wake me at night.",
    ],
)
def test_a_double_negative_about_night_pain_is_not_a_no(text: str) -> None:
    assert read(text).get("night_pain_wakes") is not False


def test_as_usual_denies_only_the_bladder_and_bowel() -> None:
    assert read("Back pain as usual after my long run.").get("pain_low_back") is not False


# Issue 9, set11 (bv11-11 in story mode): "press on it" where "it" is the spine named in the
# same sentence; not when the sentence names a muscle.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Pain right over the spine at belt level, agony when I press on it.", True),
        ("It's on the bone at the base of my back and it hurts to even lightly tap on it.", True),
        ("My vertebra near the belt line makes me jump if the physio pushes on that spot.", True),
        ("My glute is sore when I press on it.", None),
    ],
)
def test_pressing_it_in_a_sentence_about_the_spine(text: str, value: bool | None) -> None:
    assert read(text).get("tender_bone_point") is value


# Issue 9, set11: the stated warning signs that were missed, by class (our own variants).
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        # rest or lying changes nothing; the same lying or standing
        ("Lying down doesn't change it at all.", "constant_pain_unchanged_by_position"),
        ("Resting flat makes no difference to it.", "constant_pain_unchanged_by_position"),
        ("My back pain is the same lying or standing.", "constant_pain_unchanged_by_position"),
        # a simile with "nothing" does not deny what follows
        ("Like I sit on nothing, no feeling there between the legs.", "saddle_numbness"),
        ("Feels as if I'm sitting on air, no feeling in my bum.", "numbness_buttock"),
        # bed-wetting
        ("Last night I wet the bed for the first time since I was a kid.", "bladder_change"),
        ("Bedwetting again at 45, with this back pain.", "bladder_change"),
        # can't feel the need for a bowel movement
        ("i cant feel when i need a number 2, it just comes out", "bowel_change"),
        ("I can't tell whether I need a poo any more.", "bowel_change"),
        # no response during sex
        ("My husband noticed I didn't react during intimacy.", "new_sexual_dysfunction"),
        ("I don't really feel anything at all during sex now.", "new_sexual_dysfunction"),
        # harder week by week to lift the foot or rise on the toes
        ("Week by week it's getting harder to lift the front of the foot.", "progressive_weakness"),
        ("It's getting harder to stand on my toes, day by day.", "progressive_weakness"),
    ],
)
def test_set11_stated_warning_signs(text: str, fid: str) -> None:
    assert read(text).get(fid) is True


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Sitting doesn't change it but running hurts.", "constant_pain_unchanged_by_position"),
        ("Every day it's getting harder to walk far because of the pain.", "progressive_weakness"),
    ],
)
def test_set11_near_miss_warning_signs(text: str, fid: str) -> None:
    assert read(text).get(fid) is None


# Issue 9, set11: the false warning-sign yeses - a run or legs that "feel awful", and a simile
# of being hit by a bus.
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("The first 2 km of the brick run feel awful, then it settles.", "feeling_unwell"),
        ("My legs felt terrible on the hills today.", "feeling_unwell"),
        ("Whole lower back wrecked, feels like I've been hit by a bus.", "recent_trauma"),
        ("Sore as if I'd been run over by a truck after deadlifts.", "recent_trauma"),
    ],
)
def test_set11_false_warning_sign_yeses(text: str, fid: str) -> None:
    assert read(text).get(fid) is None


def test_hit_by_a_car_is_still_trauma() -> None:
    assert read("I was hit by a car on my bike last week.").get("recent_trauma") is True


# Issue 9, set11 recall: easing by movement, and the late part of a run, in other words.
@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("An easy run actually loosens it up.", "better_with_movement"),
        ("A gentle walk frees it up a bit.", "better_with_movement"),
        ("It's better on the days I do go for a walk.", "better_with_movement"),
        ("Worse sitting, better walking around.", "better_with_movement"),
        ("Low back ache, worse towards the end of long runs.", "worse_during_running"),
        ("Lower back gets sore around minute 20 of each run.", "worse_during_running"),
        ("It hurts about 5 km into a run.", "worse_during_running"),
    ],
)
def test_set11_easing_and_running(text: str, fid: str) -> None:
    assert read(text).get(fid) is True


def test_a_hot_shower_loosening_it_is_heat_not_movement() -> None:
    got = read("Hot shower loosens it up.")
    assert got.get("better_with_heat") is True and got.get("better_with_movement") is None


# Issue 9, set11 training: "1st ever", a hyphenated race, "upped to 70 km/week", and a symptom
# "for the first time since I was a kid" that is not new exercise.
@pytest.mark.parametrize(
    ("text", "fid", "value"),
    [
        (
            "Did my 1st ever deadlift session on Saturday, back wrecked.",
            "unaccustomed_exercise_recently",
            True,
        ),
        ("Ran a net-downhill marathon on Sunday and my back is sore.", "recent_long_race", True),
        (
            "Raced a hilly trail-ultra race last weekend, now my back aches.",
            "recent_long_race",
            True,
        ),
        ("Low back ache since I upped to 70 km/week.", "recent_mileage_increase", True),
        ("Back sore since I bumped up to 40 miles a week.", "recent_mileage_increase", True),
        (
            "I wet the bed for the first time since I was a kid.",
            "unaccustomed_exercise_recently",
            None,
        ),
        (
            "Went numb in the groin for the first time ever today.",
            "unaccustomed_exercise_recently",
            None,
        ),
    ],
)
def test_set11_training_wording(text: str, fid: str, value: bool | None) -> None:
    assert read(text).get(fid) is value


# Issue 9, set11 aggravating precision: a crash off the bike and a brick session only named are
# not pain on running off the bike; coming off the bike in a race still is.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Came off the bike on a descent 5 days ago and hit the tarmac.", None),
        ("Fell off my bike at a roundabout last week.", None),
        ("Did a hot brick session yesterday and probably didn't drink enough.", None),
        ("Every time I come off the bike my lower back is really tight.", True),
        ("Did a brick session and it hurt my back on the run.", True),
    ],
)
def test_set11_running_off_the_bike(text: str, value: bool | None) -> None:
    assert read(text).get("worse_running_off_bike") is value


# Issue 9, set11 neuro: "nothing is numb except a patch on my thigh" affirms the patch; a
# bulleted "5 yrs ago similar episode with a numb foot" is history, and "this time" ends it.
@pytest.mark.parametrize(
    "text",
    [
        "Nothing is numb except a patch on the front of my left thigh.",
        "Nothing numb apart from a small area on my right shin.",
    ],
)
def test_nothing_numb_except_a_patch(text: str) -> None:
    assert read(text).get("numbness_leg") is True


@pytest.mark.parametrize(
    "text",
    [
        "- 5 yrs ago similar episode with a numb foot; this time NO numbness",
        "Two years ago I had a numb foot with sciatica. This time round no numbness at all.",
    ],
)
def test_an_old_episode_then_this_time_no(text: str) -> None:
    assert read(text).get("numbness_leg") is False
