"""Read the knowledge-base YAML files, validate them and compile a KnowledgeBase.

Every problem is raised as KnowledgeBaseError naming the file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from backstride.data_files import read_yaml
from backstride.errors import KnowledgeBaseError
from backstride.kb.compiled import (
    P_MAX,
    P_MIN,
    P_MIN_RED_FLAG,
    KnowledgeBase,
    category_probabilities,
)
from backstride.kb.schema import (
    TRIAGE_ORDER,
    AnswerGroup,
    Condition,
    Factor,
    Finding,
    Rule,
    ScreeningGroup,
    Source,
    Wording,
)

DATA_DIR = Path(__file__).parent / "data"
M = TypeVar("M", bound=BaseModel)


def load_list(path: Path, key: str, model: type[M]) -> list[M]:
    """Load the list under ``key`` in one YAML file as ``model`` instances."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise KnowledgeBaseError(path.name, None, key, f"expected a top-level '{key}:' list")
    items: list[M] = []
    for position, raw in enumerate(data[key], start=1):
        entry = str(raw.get("id", f"#{position}")) if isinstance(raw, dict) else f"#{position}"
        try:
            items.append(model.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            raise KnowledgeBaseError(path.name, entry, field, first["msg"]) from None
    return items


def _unique(file: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise KnowledgeBaseError(file, item, "id", "this id appears more than once")
        seen.add(item)


def _known(
    file: str,
    entry: str,
    field: str,
    ids: Iterable[str],
    known: Sequence[str] | set[str],
    what: str,
) -> None:
    for item in ids:
        if item not in known:
            raise KnowledgeBaseError(file, entry, field, f"unknown {what} id '{item}'")


def _check_screen_rule(rules: Sequence[Rule], red_flags: Sequence[str]) -> None:
    """Exactly one screen rule, and every red flag alone demands at least its level.

    The second half keeps the screen monotone: answering the last open warning sign "yes"
    completes the screen, so that answer's own rule must hold the level up.
    """
    screen = [r for r in rules if r.kind == "screen"]
    if len(screen) != 1:
        entry = screen[1].id if screen else None
        raise KnowledgeBaseError("rules.yaml", entry, "kind", "exactly one 'screen' rule is needed")
    floor = TRIAGE_ORDER.index(screen[0].level)
    for fid in red_flags:
        alone = [r for r in rules if r.kind == "red_flag" and r.all == (fid,) and not r.any]
        if not alone or max(TRIAGE_ORDER.index(r.level) for r in alone) < floor:
            raise KnowledgeBaseError(
                "rules.yaml",
                fid,
                "level",
                f"red flag '{fid}' needs a rule of its own at level '{screen[0].level}' or above "
                "(the screen rule's level)",
            )


def _check_groups(
    groups: Sequence[AnswerGroup], findings: Sequence[Finding], conditions: Sequence[Condition]
) -> None:
    """Every grouped finding is known and in one group; every cause's likelihoods fit the group."""
    by_id = {f.id: f for f in findings}
    seen: set[str] = set()
    for g in groups:
        _known("answer_groups.yaml", g.id, "findings", g.findings, by_id.keys() | set(), "finding")
        for fid in g.findings:
            if fid in seen:
                raise KnowledgeBaseError(
                    "answer_groups.yaml", g.id, "findings", f"'{fid}' is in two groups"
                )
            seen.add(fid)
        for c in conditions:
            p = {
                fid: min(
                    max(
                        by_id[fid].likelihoods.get(c.id, by_id[fid].base).p,
                        P_MIN_RED_FLAG if by_id[fid].red_flag else P_MIN,
                    ),
                    P_MAX,
                )
                for fid in g.findings
            }
            try:
                category_probabilities(g, p)
            except ValueError as exc:
                raise KnowledgeBaseError(
                    "answer_groups.yaml", g.id, f"findings (cause '{c.id}')", str(exc)
                ) from None


def load_wording(path: Path, condition_ids: Sequence[str], finding_ids: Sequence[str]) -> Wording:
    """The plain words of ``path`` (wording.yaml), covering every condition and finding exactly."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeBaseError(path.name, None, None, "expected 'conditions:' and 'findings:'")
    try:
        wording = Wording.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first["loc"]]
        entry = loc[1] if len(loc) > 1 else None
        field = ".".join(loc[:1] + loc[2:]) or None
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise KnowledgeBaseError(path.name, entry, field, msg) from None
    for section, words, ids in (
        ("conditions", wording.conditions, condition_ids),
        ("findings", wording.findings, finding_ids),
    ):
        kind = section.removesuffix("s")
        for item in ids:
            if item not in words:
                raise KnowledgeBaseError(path.name, item, section, f"no words for this {kind}")
        for item in words:
            if item not in ids:
                raise KnowledgeBaseError(path.name, item, section, f"unknown {kind} id '{item}'")
    return wording


def load_knowledge_base(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Load, cross-check and compile the knowledge base in ``data_dir``."""
    sources: list[Source] = []
    for path in sorted(data_dir.glob("sources*.yaml")):
        sources.extend(load_list(path, "sources", Source))
    _unique("sources*.yaml", (s.id for s in sources))
    source_ids = {s.id for s in sources}

    conditions = load_list(data_dir / "conditions.yaml", "conditions", Condition)
    findings = load_list(data_dir / "findings.yaml", "findings", Finding)
    rules = load_list(data_dir / "rules.yaml", "rules", Rule)
    groups = load_list(data_dir / "screening.yaml", "groups", ScreeningGroup)
    factors = load_list(data_dir / "factors.yaml", "factors", Factor)
    answer_groups = load_list(data_dir / "answer_groups.yaml", "groups", AnswerGroup)

    _unique("conditions.yaml", (c.id for c in conditions))
    _unique("findings.yaml", (f.id for f in findings))
    _unique("rules.yaml", (r.id for r in rules))
    _unique("screening.yaml", (g.id for g in groups))
    _unique("factors.yaml", (f.id for f in factors))
    _unique("answer_groups.yaml", (g.id for g in answer_groups))
    condition_ids = {c.id for c in conditions}
    finding_ids = {f.id for f in findings}

    for c in conditions:
        _known("conditions.yaml", c.id, "sources", c.sources, source_ids, "source")
        _known("conditions.yaml", c.id, "prior.sources", c.prior.sources, source_ids, "source")
        if c.floor_threshold is not None:
            _known(
                "conditions.yaml",
                c.id,
                "floor_threshold.sources",
                c.floor_threshold.sources,
                source_ids,
                "source",
            )
    for f in findings:
        _known("findings.yaml", f.id, "base.sources", f.base.sources, source_ids, "source")
        _known("findings.yaml", f.id, "likelihoods", f.likelihoods, condition_ids, "condition")
        for cid, prob in f.likelihoods.items():
            _known(
                "findings.yaml",
                f.id,
                f"likelihoods.{cid}.sources",
                prob.sources,
                source_ids,
                "source",
            )
        if f.self_test:
            _known(
                "findings.yaml",
                f.id,
                "self_test.sources",
                f.self_test.sources,
                source_ids,
                "source",
            )
    for r in rules:
        _known("rules.yaml", r.id, "all", r.all, finding_ids, "finding")
        _known("rules.yaml", r.id, "any", r.any, finding_ids, "finding")
        _known("rules.yaml", r.id, "sources", r.sources, source_ids, "source")
        _known("rules.yaml", r.id, "suggests", r.suggests, condition_ids, "condition")
    _check_screen_rule(rules, [f.id for f in findings if f.red_flag])
    screened: set[str] = set()
    for g in groups:
        _known("screening.yaml", g.id, "items", g.items, finding_ids, "finding")
        screened.update(g.items)
    for f in findings:
        if f.red_flag and f.id not in screened:
            raise KnowledgeBaseError(
                "screening.yaml", None, "items", f"red flag '{f.id}' is in no screening group"
            )
    for r in rules:
        if r.kind == "red_flag" and not screened & set(r.findings):
            raise KnowledgeBaseError(
                "rules.yaml",
                r.id,
                "all",
                "no finding of this warning-sign rule is asked in the screening, so a story that "
                "never mentions it would hide it",
            )
    for fac in factors:
        _known("factors.yaml", fac.id, "findings", fac.findings, finding_ids, "finding")
        _known("factors.yaml", fac.id, "sources", fac.sources, source_ids, "source")
    _check_groups(answer_groups, findings, conditions)
    wording = load_wording(
        data_dir / "wording.yaml", [c.id for c in conditions], [f.id for f in findings]
    )

    return KnowledgeBase.compile(
        sources=sources,
        conditions=conditions,
        findings=findings,
        rules=rules,
        screening=groups,
        factors=factors,
        answer_groups=answer_groups,
        wording=wording,
    )
