"""Check answers against the knowledge base: unknown ids, contradictions, implied answers."""

from __future__ import annotations

from collections.abc import Iterable

from backstride.engine.evidence import Answer, Evidence
from backstride.errors import EvidenceError
from backstride.kb import KnowledgeBase
from backstride.kb.schema import Constraint


def unknown_ids(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    """The ids that are not findings of the knowledge base, in the order given."""
    return [i for i in ids if i not in kb.finding_index]


def broken_constraints(kb: KnowledgeBase, evidence: Evidence) -> list[Constraint]:
    """The constraints these answers break (empty when consistent)."""
    broken: list[Constraint] = []
    for k in kb.constraints:
        a, b = evidence.get(k.a), evidence.get(k.b)
        if a is None or b is None:
            continue
        if (k.kind == "implies" and a.value and not b.value) or (
            k.kind == "excludes" and a.value and b.value
        ):
            broken.append(k)
    return broken


def contradictions(kb: KnowledgeBase, evidence: Evidence) -> list[str]:
    """Plain sentences for every constraint the answers break (empty when consistent)."""
    return [
        f"'{k.a}' is yes but '{k.b}' is no ({k.reason})"
        if k.kind == "implies"
        else f"'{k.a}' and '{k.b}' are both yes ({k.reason})"
        for k in broken_constraints(kb, evidence)
    ]


def validate(kb: KnowledgeBase, evidence: Evidence) -> None:
    """Raise EvidenceError naming unknown ids or contradictory answers."""
    unknown = unknown_ids(kb, evidence)
    if unknown:
        raise EvidenceError("unknown finding id(s): " + ", ".join(unknown))
    problems = contradictions(kb, evidence)
    if problems:
        raise EvidenceError("contradictory answers: " + "; ".join(problems))


def implied(kb: KnowledgeBase, evidence: Evidence) -> Evidence:
    """Evidence with the answers that the constraints imply added (never overriding one given).

    Yes to a finding implies yes to what it implies; no implies no to what implies it; yes to
    one side of an exclusion implies no to the other. Implied answers keep the origin of the
    answer they came from.
    """
    answers: dict[str, Answer] = dict(evidence)
    changed = True
    while changed:
        changed = False
        for k in kb.constraints:
            a, b = answers.get(k.a), answers.get(k.b)
            new: tuple[str, Answer] | None = None
            if k.kind == "implies":
                if a is not None and a.value and b is None:
                    new = (k.b, Answer(True, a.origin))
                elif b is not None and not b.value and a is None:
                    new = (k.a, Answer(False, b.origin))
            elif a is not None and a.value and b is None:
                new = (k.b, Answer(False, a.origin))
            elif b is not None and b.value and a is None:
                new = (k.a, Answer(False, b.origin))
            if new is not None:
                answers[new[0]] = new[1]
                changed = True
    return Evidence(answers)
