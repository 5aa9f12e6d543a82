"""Answers against the knowledge base: unknown ids, answer groups, implied answers and clashes.

An answer group (kb/data/answer_groups.yaml) is one quantity, such as age, asked about by
several findings. The answers given in a group allow a set of its categories; the answers that
set settles are implied, and an empty set is a clash. People do give clashing answers, so a
clash is never an error: ``reconcile`` keeps the graver reading and says which answers clashed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backstride.engine.evidence import Answer, Evidence
from backstride.errors import EvidenceError
from backstride.kb import KnowledgeBase


def unknown_ids(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    """The ids that are not findings of the knowledge base, in the order given."""
    return [i for i in ids if i not in kb.finding_index]


def check_ids(kb: KnowledgeBase, ids: Iterable[str]) -> None:
    """Raise EvidenceError naming the first few unknown finding ids, with their count."""
    unknown = unknown_ids(kb, ids)
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        raise EvidenceError(f"unknown finding id(s): {shown}")


def allowed_categories(kb: KnowledgeBase, group: int, evidence: Evidence) -> int:
    """The categories of one answer group that these answers leave possible, as bits (bit k for
    category k; 0 when the answers clash)."""
    full = kb.group_full[group]
    allowed = full
    ids = kb.finding_ids
    for f in kb.group_members[group]:
        answer = evidence.get(ids[f])
        if answer is not None:
            mask = kb.group_mask[f]
            allowed &= mask if answer.value else full & ~mask
    return allowed


def answered_groups(kb: KnowledgeBase, evidence: Evidence) -> list[int]:
    """The answer groups with at least one answer, in knowledge-base order."""
    groups = {int(kb.group_of[kb.finding_index[f]]) for f in evidence}
    return sorted(g for g in groups if g >= 0)


@dataclass(frozen=True, slots=True)
class Clash:
    """Answers of one group that cannot all be true, and the reading that was kept."""

    group: str
    answers: tuple[tuple[str, bool], ...]
    kept: str  # the category whose reading was kept

    def message(self) -> str:
        """A plain sentence naming the clashing answers."""
        said = ", ".join(f"'{f}' {'yes' if v else 'no'}" for f, v in self.answers)
        return (
            f"These answers clash ({said}); the graver reading was kept "
            f"({self.kept.replace('_', ' ')})."
        )


def clashing_groups(kb: KnowledgeBase, evidence: Evidence) -> list[int]:
    """The answer groups whose answers allow no category at all."""
    return [g for g in answered_groups(kb, evidence) if not allowed_categories(kb, g, evidence)]


def contradictions(kb: KnowledgeBase, evidence: Evidence) -> list[str]:
    """Plain sentences for every group whose answers clash (empty when consistent)."""
    out = []
    for g in clashing_groups(kb, evidence):
        group = kb.answer_groups[g]
        said = ", ".join(
            f"'{f}' {'yes' if evidence[f].value else 'no'}" for f in group.findings if f in evidence
        )
        out.append(f"{said} cannot all be true ({group.reason})")
    return out


def implied(kb: KnowledgeBase, evidence: Evidence) -> Evidence:
    """Evidence with the answers its groups settle added, marked implied (never overriding one).

    Yes to "over 65" settles "over 50" as yes and "under 20" as no. A clashing group implies
    nothing.
    """
    answers: dict[str, Answer] = dict(evidence)
    for g in answered_groups(kb, evidence):
        allowed = allowed_categories(kb, g, evidence)
        if not allowed:
            continue
        given = [evidence[f] for f in kb.answer_groups[g].findings if f in evidence]
        origin = min((a.origin for a in given), key=lambda o: o != "asked")
        for f in kb.group_findings(g):
            fid = kb.finding_ids[f]
            if fid in answers:
                continue
            mask = kb.group_mask[f]
            if not allowed & ~mask:
                answers[fid] = Answer(True, origin, implied=True)
            elif not allowed & mask:
                answers[fid] = Answer(False, origin, implied=True)
    return Evidence(answers)


def reconcile(
    kb: KnowledgeBase, evidence: Evidence, grade: Callable[[Evidence], int]
) -> tuple[Evidence, tuple[Clash, ...]]:
    """Resolve every clash by keeping the graver reading; return the clashes resolved.

    For a clashing group each category is a possible reading: keep the answers that agree with
    it and drop the rest (to "don't know"). The reading kept is the one ``grade`` (the triage
    level) rates gravest; then the one that keeps most answers; then the more worrying
    category (the groups list their categories from least to most worrying).
    """
    clashes: list[Clash] = []
    current = evidence.given()
    for g in clashing_groups(kb, current):
        group = kb.answer_groups[g]
        given = [(f, current[f].value) for f in group.findings if f in current]
        best: tuple[tuple[int, int, int], Evidence, str] | None = None
        for k, category in enumerate(group.categories):
            trial = dict(current)
            kept = 0
            for fid, value in given:
                if (category in group.findings[fid]) == value:
                    kept += 1
                else:
                    trial.pop(fid)
            candidate = Evidence(trial)
            key = (grade(implied(kb, candidate)), kept, k)
            if best is None or key > best[0]:
                best = (key, candidate, category)
        assert best is not None
        current = best[1]
        clashes.append(Clash(group.id, tuple(given), best[2]))
    return current, tuple(clashes)
