"""The safety net (targets.yaml, `safety_net`): broad rules that only ever ask about warning signs.

Each example is our own wording of a class the net is for: a body part or function plus trouble
with it, said in words no precise rule names. The net must make the interview ask (uncertain,
context "net"), never answer; it must step aside when a rule reads the same finding, and it must
stay quiet for denials, relatives and normal function.
"""

from __future__ import annotations

import pytest

from backstride.errors import KnowledgeBaseError
from backstride.reader import read_story
from backstride.reader.rules import findings, target_groups

# Warning signs in wordings a rule may or may not name: each must be read, as a yes or asked.
READ = [
    ("The skin round my undercarriage has gone sort of fuzzy since Tuesday.", "saddle_numbness"),
    ("Loo roll feels odd on that side, like through a glove.", "saddle_numbness"),
    ("Waterworks have been struggling this week, I stand there for ages.", "bladder_change"),
    ("Stood at the urinal and nothing happens for a good minute.", "bladder_change"),
    ("My pee has had a rusty look since the weekend.", "urinary_burning_or_blood"),
    ("Number twos have been a struggle, and I've had one accident.", "bowel_change"),
    ("Things in the bedroom haven't been working the way they did.", "new_sexual_dysfunction"),
    ("Had rigors on Sunday night and my teeth were chattering.", "fever_or_chills"),
    ("My running tights are baggy now and I eat like a horse.", "unexplained_weight_loss"),
    ("Friends say I look gaunt lately.", "unexplained_weight_loss"),
    ("I finished my chemo in 2019.", "history_of_cancer"),
    ("I was on a DEXA list after my last check-up.", "osteoporosis_or_long_term_steroids"),
    ("I had a kidney transplant some years ago.", "immunosuppressed_or_iv_drug_use"),
    ("Went flying over a root on the trail on Saturday.", "recent_trauma"),
    ("My left foot slaps down when I walk to the shop.", "leg_weakness"),
    ("It's getting weaker by the week, I can feel it.", "progressive_weakness"),
    ("Both of my calves buzz like a phone on silent.", "symptoms_both_legs"),
    ("The ache has me up at 3 most nights.", "night_pain_wakes"),
    ("It aches no matter how I sit or lie.", "constant_pain_unchanged_by_position"),
    ("The pain comes in surges and I pace the kitchen.", "pain_in_waves"),
    ("A ripping feeling went through to my tummy.", "tearing_pain_into_abdomen"),
    ("I've felt off colour for a fortnight.", "feeling_unwell"),
]


# Wordings that only the net reads (no rule names them): asked, never answered.
NET_ONLY = [
    ("The skin round my undercarriage has gone sort of fuzzy since Tuesday.", "saddle_numbness"),
    ("Loo roll feels odd on that side, like through a glove.", "saddle_numbness"),
    ("My pee has had a rusty look since the weekend.", "urinary_burning_or_blood"),
    ("My running tights are baggy now and I eat like a horse.", "unexplained_weight_loss"),
    ("Friends say I look gaunt lately.", "unexplained_weight_loss"),
    ("I was on a DEXA list after my last check-up.", "osteoporosis_or_long_term_steroids"),
    ("Went flying over a root on the trail on Saturday.", "recent_trauma"),
    ("Both of my calves buzz like a phone on silent.", "symptoms_both_legs"),
    ("The ache has me up at 3 most nights.", "night_pain_wakes"),
]


@pytest.mark.parametrize(("story", "finding"), READ)
def test_every_warning_sign_is_read_or_asked(story: str, finding: str) -> None:
    reading = read_story(story)
    assert reading.evidence().as_dict().get(finding) is True or finding in reading.uncertain_ids()


@pytest.mark.parametrize(("story", "finding"), NET_ONLY)
def test_the_net_asks_and_never_answers(story: str, finding: str) -> None:
    reading = read_story(story)
    net = [m for m in reading.mentions if m.id == finding]
    assert net, f"{finding} not read from {story!r}"
    assert all(m.uncertain and "net" in m.context for m in net)
    assert finding in reading.uncertain_ids()
    assert finding not in reading.evidence().as_dict()


@pytest.mark.parametrize(
    ("story", "finding"),
    [
        # a rule reads it: the rule's answer stands, the net says nothing
        ("I can't feel the toilet paper when I wipe.", "saddle_numbness"),
        ("I haven't been able to pee since last night.", "bladder_change"),
        ("No trouble peeing and my bowels are as usual.", "bladder_change"),
    ],
)
def test_a_rule_reading_wins_over_the_net(story: str, finding: str) -> None:
    mentions = [m for m in read_story(story).mentions if m.id == finding]
    assert mentions
    assert not any("net" in m.context for m in mentions)


@pytest.mark.parametrize(
    ("story", "finding"),
    [
        ("Wee is a normal colour and it doesn't sting.", "urinary_burning_or_blood"),
        ("Legs work normally, no numbness anywhere.", "symptoms_both_legs"),
        ("My mum had chemo for her breast.", "history_of_cancer"),
        ("I'm scared it might be cancer.", "history_of_cancer"),
        ("No falls, no crashes, nothing like that.", "recent_trauma"),
        ("I fell asleep on the sofa and woke up stiff.", "recent_trauma"),
        ("My calves were burning after the hill repeats.", "symptoms_both_legs"),
        ("I had a steroid injection in my knee last year.", "osteoporosis_or_long_term_steroids"),
        ("Stopped for a wee at 10k and carried on.", "bladder_change"),
        ("It was sweaty work in the heat, temperatures were over 30.", "fever_or_chills"),
        ("Trying to lose weight, I'm down 3 kg.", "unexplained_weight_loss"),
        ("My physio says I have weak glutes.", "leg_weakness"),
    ],
)
def test_the_net_stays_quiet(story: str, finding: str) -> None:
    reading = read_story(story)
    assert not [m for m in reading.mentions if m.id == finding and "net" in m.context]
    assert reading.evidence().as_dict().get(finding) is not True


def test_the_net_holds_only_warning_signs() -> None:
    net = [g for g in target_groups() if g.net]
    assert net
    assert all(set(g.ids) <= findings().red_flags for g in net)
    assert all(g.affirmed == "uncertain" and g.denied == "ignore" for g in net)


def test_a_net_rule_that_answers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.reader import rules

    real = rules._load

    def with_bad_net(name: str) -> object:
        data = real(name)
        if name == "targets.yaml":
            data = {
                **data,
                "safety_net": [{"id": "bladder_change", "value": False, "patterns": ["x"]}],
            }
        return data

    rules.target_groups.cache_clear()
    monkeypatch.setattr(rules, "_load", with_bad_net)
    try:
        with pytest.raises(KnowledgeBaseError, match="only asks"):
            rules.target_groups()
    finally:
        monkeypatch.undo()
        rules.target_groups.cache_clear()
