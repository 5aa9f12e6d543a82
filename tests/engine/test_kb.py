"""The knowledge base: the shared vocabulary is all there, every number has provenance, and a
broken file is reported by file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backstride.errors import KnowledgeBaseError
from backstride.kb import DATA_DIR, KnowledgeBase, load_knowledge_base
from tests.conftest import SHARED, TESTS

VOCAB_COPIES = [TESTS / "contract" / "vocabulary.yaml", SHARED / "contract" / "vocabulary.yaml"]


@pytest.mark.parametrize("path", VOCAB_COPIES, ids=["tests-copy", "shared"])
def test_every_vocabulary_id_is_in_the_kb(kb: KnowledgeBase, path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not present on this machine")
    vocab = yaml.safe_load(path.read_text())
    assert {c["id"] for c in vocab["conditions"]} <= set(kb.condition_ids)
    assert {f["id"] for f in vocab["findings"]} <= set(kb.finding_ids)
    for f in vocab["findings"]:
        assert kb.finding(f["id"]).red_flag == bool(f.get("red_flag", False)), f["id"]
    assert [t["id"] for t in vocab["triage_levels"]] == ["emergency", "urgent", "soon", "self_care"]


def test_tests_copy_of_vocabulary_matches_shared() -> None:
    shared = SHARED / "contract" / "vocabulary.yaml"
    if not shared.exists():
        pytest.skip("shared/ is not beside the project")
    assert yaml.safe_load(shared.read_text()) == yaml.safe_load(VOCAB_COPIES[0].read_text())


def test_every_number_has_provenance(kb: KnowledgeBase) -> None:
    numbers = [c.prior for c in kb.conditions]
    for f in kb.findings:
        numbers += [f.base, *f.likelihoods.values()]
    for n in numbers:
        assert n.estimate or n.sources
        assert all(s in kb.sources for s in n.sources)
        if n.estimate:
            assert n.note


def test_shared_articles_are_cited_by_file_name(kb: KnowledgeBase) -> None:
    cited = " ".join(s.citation for s in kb.sources.values())
    assert "001_21c8a1a78be009d4.txt" in cited
    assert "004_9d6a8a999a7db6a1.txt" in cited


def test_serious_conditions_have_serious_floors(kb: KnowledgeBase) -> None:
    floors = {c.id: c.triage_floor for c in kb.conditions}
    assert floors["cauda_equina_syndrome"] == "emergency"
    assert floors["femoral_neck_stress_fracture"] == "urgent"
    assert floors["bone_stress_sacral_pelvic"] == "soon"


def test_arrays_are_read_only(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        kb.p_yes[0, 0] = 0.5


def _broken_copy(tmp_path: Path, file: str, edit: str, new: str) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    path = target / file
    text = path.read_text()
    assert edit in text
    path.write_text(text.replace(edit, new, 1))
    return target


def test_bad_probability_names_file_entry_and_field(tmp_path: Path) -> None:
    data = _broken_copy(
        tmp_path,
        "rules.yaml",
        "all: [saddle_numbness], level: emergency",
        "all: [saddle_numbness], level: whenever",
    )
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(data)
    assert err.value.file == "rules.yaml"
    assert err.value.entry == "ces_saddle"
    assert err.value.field == "level"


def test_a_red_flag_below_the_screen_level_is_refused(tmp_path: Path) -> None:
    # answering the last open warning sign "yes" would then lower the level: not monotone
    data = _broken_copy(
        tmp_path,
        "rules.yaml",
        "all: [feeling_unwell], level: soon",
        "all: [feeling_unwell], level: self_care",
    )
    with pytest.raises(KnowledgeBaseError, match="feeling_unwell") as err:
        load_knowledge_base(data)
    assert (err.value.file, err.value.field) == ("rules.yaml", "level")


def test_screen_rule_takes_no_findings(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path, "rules.yaml", "kind: screen,", "kind: screen, all: [runner],")
    with pytest.raises(KnowledgeBaseError, match="no 'all'") as err:
        load_knowledge_base(data)
    assert (err.value.file, err.value.entry) == ("rules.yaml", "screen_incomplete")


def test_group_likelihoods_that_cannot_hold_together_are_refused(tmp_path: Path) -> None:
    # P(over 65 | cause) above P(over 50 | cause) is impossible for one age
    data = _broken_copy(
        tmp_path,
        "findings.yaml",
        "lumbar_stenosis: {p: 0.65, sources: [suri2010]",
        "lumbar_stenosis: {p: 0.97, sources: [suri2010]",
    )
    with pytest.raises(KnowledgeBaseError, match="lumbar_stenosis") as err:
        load_knowledge_base(data)
    assert (err.value.file, err.value.entry) == ("answer_groups.yaml", "age")


def test_unknown_source_is_named(tmp_path: Path) -> None:
    data = _broken_copy(
        tmp_path, "factors.yaml", "sources: [fishman2002]", "sources: [no_such_paper]"
    )
    with pytest.raises(KnowledgeBaseError, match="no_such_paper") as err:
        load_knowledge_base(data)
    assert (err.value.file, err.value.entry) == ("factors.yaml", "wallet_back_pocket")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path, "screening.yaml", "groups:", "groups: [")
    with pytest.raises(KnowledgeBaseError, match=r"screening.yaml.*line"):
        load_knowledge_base(data)


def test_estimate_without_note_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    shutil.copytree(TESTS / "fixtures" / "kb_small", data)
    path = data / "findings.yaml"
    path.write_text(
        path.read_text().replace(
            'base: {p: 0.1, estimate: true, note: "n"}', "base: {p: 0.1, estimate: true}", 1
        )
    )
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(data)
    assert err.value.entry == "old" and err.value.field == "base"


def test_red_flag_outside_screening_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    shutil.copytree(TESTS / "fixtures" / "kb_small", data)
    (data / "screening.yaml").write_text(
        'groups:\n  - {id: g1, prompt: "p", why: "w", items: [fever]}\n'
    )
    with pytest.raises(KnowledgeBaseError, match="numb_saddle"):
        load_knowledge_base(data)


@pytest.mark.parametrize("step", ["Run easy on the flat", "Cut back hills", "Avoid overstriding"])
def test_running_advice_in_a_first_step_is_refused(tmp_path: Path, step: str) -> None:
    # One voice on running: only the plan's running rules give it (check shows the plan's words).
    data = tmp_path / "kb"
    shutil.copytree(TESTS / "fixtures" / "kb_small", data)
    path = data / "conditions.yaml"
    path.write_text(path.read_text().replace('do: ["rest"]', f'do: ["rest", "{step}"]', 1))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(data)
    assert err.value.field == "do" and "running rules" in str(err.value)
