"""wording.yaml: plain words for every cause and answer, checked by the knowledge-base loader."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from backstride.errors import KnowledgeBaseError
from backstride.kb import DATA_DIR, KnowledgeBase, load_knowledge_base

# Clinical shorthand a runner should not meet in a cause's name or an answer's phrase (a clinical
# name may follow in brackets, for talking to a clinician).
JARGON = re.compile(
    r"lumbopelvic|paraspinal|quadratus|zygapophys|radiculopathy|discogenic|tendinopathy|"
    r"spondylolysis|interarticularis|stenosis|proximal|gluteal|sacral|femoral|lumbar|"
    r"non-specific|mechanical|\bslr\b|faber|nsaid|unaccustomed",
    re.I,
)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_every_condition_and_finding_has_plain_words(kb: KnowledgeBase) -> None:
    assert set(kb.wording.conditions) == set(kb.condition_ids)
    assert set(kb.wording.findings) == set(kb.finding_ids)
    assert kb.wording.phrase("worse_sitting", True) == "pain when you sit"
    assert kb.wording.phrase("leg_pain_below_knee", False) == "no pain below the knee"


def test_plain_words_hold_no_slash_and_no_jargon_outside_brackets(kb: KnowledgeBase) -> None:
    texts = [w.name for w in kb.wording.conditions.values()]
    texts += [t for w in kb.wording.findings.values() for t in (w.when_yes, w.when_no)]
    for text in texts:
        outside = re.sub(r"\([^)]*\)", "", text)
        assert "/" not in text and not JARGON.search(outside), text


def test_lay_names_are_not_the_clinical_names(kb: KnowledgeBase) -> None:
    for c in kb.conditions:
        assert kb.wording.name(c.id).lower() != c.name.lower(), c.id


def test_a_finding_without_words_is_named(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / "wording.yaml"
    path.write_text(
        "\n".join(
            x for x in path.read_text().splitlines() if not x.strip().startswith("pain_sit_bone:")
        )
    )
    with pytest.raises(KnowledgeBaseError, match="no words") as err:
        load_knowledge_base(data)
    assert (err.value.file, err.value.entry, err.value.field) == (
        "wording.yaml",
        "pain_sit_bone",
        "findings",
    )


def test_words_for_an_unknown_condition_are_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / "wording.yaml"
    text = path.read_text().replace("conditions:\n", 'conditions:\n  gout: {name: "gout"}\n', 1)
    path.write_text(text)
    with pytest.raises(KnowledgeBaseError, match="unknown condition id 'gout'"):
        load_knowledge_base(data)


def test_a_slash_in_a_name_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / "wording.yaml"
    text = path.read_text().replace(
        'discogenic: {name: "a sore disc in the low back"}',
        'discogenic: {name: "disc / nerve pain"}',
    )
    path.write_text(text)
    with pytest.raises(KnowledgeBaseError, match="without '/'") as err:
        load_knowledge_base(data)
    assert (err.value.entry, err.value.field) == ("discogenic", "conditions.name")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "wording.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"wording\.yaml"):
        load_knowledge_base(data)
