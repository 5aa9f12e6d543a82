"""The reader's rule files: every finding is covered, ids are real, and bad rules are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.errors import KnowledgeBaseError
from backstride.kb import KnowledgeBase
from backstride.reader import rules

HERE = Path(__file__).parent
VOCABULARY = HERE.parent / "contract" / "vocabulary.yaml"


def vocabulary_ids() -> set[str]:
    return {f["id"] for f in yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))["findings"]}


def test_every_vocabulary_finding_has_target_rules_or_an_extractor() -> None:
    covered = {fid for g in rules.target_groups() for fid in (*g.ids, g.family_id) if fid}
    tables = rules.extractor_tables()
    covered |= set(tables["duration"]["thresholds"]) | set(tables["age"]["thresholds"])
    assert vocabulary_ids() - covered == set()


def test_the_fallback_copy_agrees_with_the_knowledge_base(kb: KnowledgeBase) -> None:
    copy = rules.fallback_findings()
    assert dict(copy.categories) == {f.id: f.category for f in kb.findings}
    assert copy.red_flags == {f.id for f in kb.findings if f.red_flag}


def test_every_pattern_compiles_and_the_pipeline_loads() -> None:
    from backstride.reader.pipeline import pipeline, target_rules

    nlp = pipeline()
    assert nlp.pipe_names == ["sentencizer"]
    assert len(target_rules().rules) > 500
    assert len(rules.context_rules()) > 20


def _bad(monkeypatch: pytest.MonkeyPatch, name: str, data: Any) -> None:
    real = rules._load
    monkeypatch.setattr(rules, "_load", lambda n: data if n == name else real(n))


def test_a_target_rule_with_an_unknown_finding_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"word_lists": {}, "targets": [{"id": "pain_in_the_elbow", "phrases": ["elbow"]}]}
    _bad(monkeypatch, "targets.yaml", data)
    with pytest.raises(KnowledgeBaseError, match="pain_in_the_elbow"):
        rules.target_groups.__wrapped__()


def test_a_broken_pattern_is_refused_with_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"word_lists": {}, "targets": [{"id": "pain_buttock", "patterns": ["bum("]}]}
    _bad(monkeypatch, "targets.yaml", data)
    with pytest.raises(KnowledgeBaseError, match=r"pain_buttock.*pattern"):
        rules.target_groups.__wrapped__()


def test_annotated_stories_are_many_varied_and_use_real_ids() -> None:
    stories = [json.loads(line) for line in (HERE / "stories.jsonl").read_text().splitlines()]
    assert len(stories) >= 60
    assert len({s["id"] for s in stories}) == len(stories)
    styles = {style for s in stories for style in s["style"].split(",")}
    assert {"forum", "terse", "non-native", "british", "american"} <= styles
    known = vocabulary_ids()
    for s in stories:
        assert set(s["expected"]) <= known, s["id"]
        assert set(s.get("uncertain", ())) <= known, s["id"]


def test_a_proxy_relative_with_an_unknown_sex_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = dict(rules._load("context.yaml"))
    data["proxy"] = {**data["proxy"], "relatives": {"dad": "man"}}
    _bad(monkeypatch, "context.yaml", data)
    with pytest.raises(KnowledgeBaseError, match=r"proxy\.relatives\.dad"):
        rules.proxy_rules.__wrapped__()


def test_a_both_legs_rule_with_an_unknown_finding_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = dict(rules._load("targets.yaml"))
    data["both_legs"] = {**data["both_legs"], "from": ["numb_elbow"]}
    _bad(monkeypatch, "targets.yaml", data)
    with pytest.raises(KnowledgeBaseError, match="numb_elbow"):
        rules.both_legs_rule.__wrapped__()


def test_the_tokenizer_is_medspacys() -> None:
    import spacy
    from medspacy.custom_tokenizer import create_medspacy_tokenizer

    from backstride.reader.pipeline import pipeline

    text = "back/leg pain 10km c/o chf+cp, I'm 35F (left) -- www.x.com 3x/week; can't sit... 5k/10k"
    theirs = create_medspacy_tokenizer(spacy.blank("en"))
    assert [t.text for t in pipeline().make_doc(text)] == [t.text for t in theirs(text)]


# ---------------------------------------------------------------- word classes (issue 9)
def _terms(name: str) -> list[str]:
    return [str(t) for t in rules._load("lexicon.yaml")["classes"][name]["terms"]]


@pytest.mark.parametrize(
    ("name", "finding"),
    [
        ("STEROID_DRUG", "osteoporosis_or_long_term_steroids"),
        ("BONE_DRUG", "osteoporosis_or_long_term_steroids"),
        ("IMMUNOSUPPRESSANT_DRUG", "immunosuppressed_or_iv_drug_use"),
    ],
)
def test_every_drug_of_a_class_is_read(name: str, finding: str) -> None:
    from backstride.reader import read_story

    for term in _terms(name):
        reading = read_story(f"Low back pain for 3 weeks. I've been on {term} for a while.")
        assert reading.evidence().as_dict().get(finding) is True, term
        denied = read_story(f"Low back pain for 3 weeks. I've never taken {term}.")
        assert denied.evidence().as_dict().get(finding) is not True, term


def test_every_word_for_the_saddle_region_is_read_with_numbness() -> None:
    from backstride.reader import read_story

    for term in _terms("SADDLE_REGION"):
        reading = read_story(f"Back pain since Monday and my {term} has gone numb.")
        assert reading.evidence().as_dict().get("saddle_numbness") is True, term
        denied = read_story(f"Back pain since Monday. No numbness around my {term}.")
        assert denied.evidence().as_dict().get("saddle_numbness") is not True, term


def test_every_word_class_names_its_source() -> None:
    classes = rules._load("lexicon.yaml")["classes"]
    assert classes and all(c.get("source") for c in classes.values())
    assert set(rules.lexicons()) == set(classes)
