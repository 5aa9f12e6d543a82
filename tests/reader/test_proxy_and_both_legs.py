"""Stories typed for a relative, and leg symptoms on both sides told in different sentences."""

from __future__ import annotations

from datetime import date

import pytest

from backstride.reader import read_story
from backstride.reader.proxy import find_subject, rewrite

TODAY = date(2025, 3, 15)


def read(text: str) -> dict[str, bool]:
    return read_story(text, today=TODAY).evidence().as_dict()


# ------------------------------------------------------------------ proxy stories
def test_a_fathers_story_is_read_as_his() -> None:
    text = (
        "Dad is 72, he had prostate cancer treated 5 years ago. Back pain for 2 months, getting "
        "worse, it wakes him at night, and he's lost weight without trying."
    )
    reading = read_story(text, today=TODAY)
    got = reading.evidence().as_dict()
    assert got["age_over_50"] is True and got["age_over_65"] is True
    assert got["history_of_cancer"] is True
    assert got["unexplained_weight_loss"] is True
    assert got["getting_worse"] is True
    assert got["sex_female"] is False
    # "wakes me" alone is asked early; the same holds for "wakes him".
    assert "night_pain_wakes" in reading.uncertain_ids()
    assert any("dad" in message for message in reading.messages)


def test_a_daughters_age_and_findings_are_hers() -> None:
    got = read(
        "My 15-year-old daughter runs cross-country and has had an ache in her low back for "
        "10 days, worse after practice and when she leans back. No numbness, no fever."
    )
    assert got["age_under_20"] is True
    assert got["sex_female"] is True
    assert got["worse_bending_backward"] is True
    assert got["numbness_leg"] is False
    assert got["duration_over_2_weeks"] is False


def test_words_point_back_into_the_original_story() -> None:
    text = "My son is 16. His lower back hurts and it wakes him up every night."
    reading = read_story(text, today=TODAY)
    for mention in reading.mentions:
        assert text[mention.start : mention.end] == mention.text
    night = [m for m in reading.mentions if m.id == "night_pain_wakes"]
    assert night and night[0].text.startswith("wakes him")


@pytest.mark.parametrize(
    ("text", "word", "over_50", "over_65"),
    [
        # a story that opens with the relative's age, then speaks of him or her
        (
            "My husband is 55 and had a kidney transplant. The pain is low down in the middle "
            "of the back and he can't get comfy in any position.",
            "husband",
            True,
            False,
        ),
        (
            "Writing this for my husband Dave (52). He has had back pain for 9 days.",
            "husband",
            True,
            False,
        ),
        (
            "My mam's 74 and still walks. Last fortnight she's had a sore low back.",
            "mam",
            True,
            True,
        ),
        (
            "My brother is 29 years, he runs. Since 2 months he is having back pain.",
            "brother",
            False,
            False,
        ),
        (
            "Hello doctor. My mother she is 79 year, she fall and her back is paining.",
            "mother",
            True,
            True,
        ),
    ],
)
def test_the_relatives_age(text: str, word: str, over_50: bool, over_65: bool) -> None:
    subject = find_subject(text)
    assert subject is not None and subject.word == word
    got = read(text)
    assert (got.get("age_over_50"), got.get("age_over_65")) == (over_50, over_65)


def test_an_opening_relatives_age_does_not_take_the_writers_own_story() -> None:
    assert find_subject("My son is 15. My back hurts when I run, he runs too.") is None


def test_a_partner_is_told_by_the_pronouns() -> None:
    subject = find_subject("My partner has had a sore back for a week. It hurts her to sit.")
    assert subject is not None and (subject.word, subject.sex) == ("partner", "female")
    text, offsets = rewrite("It hurts her to sit. Her back aches.", subject)
    assert text == "It hurts me to sit. my back aches."
    assert len(offsets) == len(text) + 1


@pytest.mark.parametrize(
    "text",
    [
        "My dad has ankylosing spondylitis. My lower back has been stiff every morning for months.",
        "Lower back pain for 3 weeks. My dad had prostate cancer and his back was sore for years.",
        "My brother has AS and his back is always stiff. Mine only started hurting 3 days ago.",
        "34M. My mum had breast cancer and her back hurt a lot before they found it.",
        "I'm worried about my husband, his back is bad. I have had a sore back for a week too.",
    ],
)
def test_first_person_stories_keep_family_as_family(text: str) -> None:
    assert find_subject(text) is None
    got = read(text)
    assert "history_of_cancer" not in got


def test_family_history_stays_in_a_first_person_story() -> None:
    got = read("My dad has AS. My own lower back has been stiff in the mornings. I'm 29.")
    assert got["family_history_spondyloarthritis"] is True
    assert got["age_over_50"] is False


def test_another_relatives_cancer_is_not_the_subjects() -> None:
    got = read("Dad is 70 and his back has been killing him for a month. My mum had breast cancer.")
    assert got["age_over_65"] is True
    assert "history_of_cancer" not in got


def test_negated_red_flags_in_a_proxy_story_do_not_fire() -> None:
    got = read("My son is 17, his back hurts after rugby. He has no numbness and no fever.")
    assert got["numbness_leg"] is False
    assert got["fever_or_chills"] is False
    assert got["age_under_20"] is True


def test_a_relatives_age_is_ignored_outside_a_proxy_story() -> None:
    got = read("My son is 15 and I have had back pain for a week.")
    assert "age_under_20" not in got


# ------------------------------------------------------------------ both legs
def test_leg_symptoms_on_each_side_in_different_sentences_are_both_legs() -> None:
    got = read(
        "Severe pain down the back of the right leg with a numb foot. "
        "Now my left heel is numb and the left ankle feels weak too."
    )
    assert got["symptoms_both_legs"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Numbness in my right foot. No numbness on the left.",
        "Pain on the left side of my back and numbness down my right leg.",
        "Right calf is numb. My left buttock aches.",
        "Tingling in the right foot right now, worse after runs.",
    ],
)
def test_one_leg_is_not_both_legs(text: str) -> None:
    assert read(text).get("symptoms_both_legs") is not True


@pytest.mark.parametrize(
    "text",
    [
        "My two legs feel heavy and tingly after walking.",
        "Pins and needles down both legs.",
        "I can't feel either leg properly.",
    ],
)
def test_both_legs_in_so_many_words(text: str) -> None:
    assert read(text)["symptoms_both_legs"] is True


def test_a_denied_other_leg_does_not_drop_both_legs() -> None:
    got = read("Numb right foot. Tingling in the left foot. The other leg is fine.")
    assert got["symptoms_both_legs"] is True


def test_lifting_a_child_does_not_make_the_story_theirs() -> None:
    assert find_subject("Lifting my 2-year-old daughter hurts. Sore all day.") is None
    assert "age_under_20" not in read("Lifting my 2-year-old daughter hurts. Sore all day.")
