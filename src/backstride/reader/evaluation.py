"""Precision and recall of the reader on annotated stories (tests/reader/stories.jsonl).

A story is `{"id", "text", "expected": {finding_id: true|false}, ...}`, optionally with
`"today": "YYYY-MM-DD"` for stories that say "since August". Each (finding, yes/no) pair is one
item: a pair read that the story expects is a true positive, a pair read that it does not
expect is a false positive, an expected pair not read is a false negative (so a wrong value
counts as both). Groups: overall, red_flag, other, red_flag_yes (only "yes" pairs of red flags,
the ones that raise triage), and each finding category.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from backstride.errors import InputError
from backstride.inputs import printable, read_json_lines
from backstride.reader.rules import findings
from backstride.reader.story import read_story


@dataclass
class Counts:
    """True positives, false positives and false negatives of one group."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of pairs read that were expected (1.0 when nothing was read)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of expected pairs that were read (1.0 when nothing was expected)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True)
class Miss:
    """One disagreement: what the story expects and what was read (None = not read)."""

    story: str
    finding: str
    expected: bool | None
    got: bool | None


@dataclass
class Score:
    """Counts per group, and every disagreement."""

    groups: dict[str, Counts] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    stories: int = 0

    def table(self) -> list[tuple[str, int, int, int, float, float]]:
        """Rows (group, tp, fp, fn, precision, recall), overall groups first."""
        first = ["overall", "red_flag", "red_flag_yes", "other"]
        names = first + sorted(k for k in self.groups if k not in first)
        return [
            (n, c.tp, c.fp, c.fn, c.precision, c.recall)
            for n in names
            if (c := self.groups.get(n)) is not None
        ]


def _groups_of(fid: str, value: bool) -> list[str]:
    info = findings()
    red = fid in info.red_flags
    out = ["overall", "red_flag" if red else "other", info.categories.get(fid, "unknown")]
    if red and value:
        out.append("red_flag_yes")
    return out


def _closed(answers: Mapping[str, bool]) -> dict[str, bool]:
    """The answers with every answer the engine's answer groups imply added ("over 65" gives
    "over 50"; pain on one side gives "not both sides"), never overriding one given."""
    from backstride.engine.consistency import implied
    from backstride.engine.evidence import Evidence
    from backstride.kb import default_knowledge_base

    return implied(default_knowledge_base(), Evidence(dict(answers))).as_dict()


def score(stories: Iterable[Mapping[str, Any]], *, closed: bool = False) -> Score:
    """Read each story and compare what was read with what the story expects.

    `closed=True` first closes both the expected and the read answers over the engine's answer
    groups (`engine.consistency.implied`), so a consequence the annotator did not write ("not
    both sides" after "left buttock") is not a false positive, and one the reader did not spell
    out is not a miss: both sides are compared as the engine will see them.

    Two rules keep the figures fair:
    - a warning sign the story states, read as *uncertain*, counts as read for the red-flag
      groups: the interview asks it first, before anything else;
    - a finding that no story of the set annotates is not scored (the set was written before
      the finding existed, so a reading of it is neither right nor wrong there).
    """
    result = Score()
    known = findings().ids
    stories = list(stories)
    written = [{str(k): bool(v) for k, v in s.get("expected", {}).items()} for s in stories]
    for story, expected in zip(stories, written, strict=True):
        unknown = set(expected) - known
        if unknown:
            raise InputError(f"story {story.get('id')}: unknown findings {sorted(unknown)}")
    if closed:
        written = [_closed(e) for e in written]
    annotated = {k for expected in written for k in expected}
    for story, expected in zip(stories, written, strict=True):
        result.stories += 1
        today = date.fromisoformat(story["today"]) if story.get("today") else None
        reading = read_story(str(story.get("text", "")), today=today)
        read = reading.evidence().as_dict()
        read = _closed(read) if closed else read
        got = {f: v for f, v in read.items() if f in annotated}
        unsure = set(reading.uncertain_ids())
        for fid in sorted(set(expected) | set(got)):
            e, g = expected.get(fid), got.get(fid)
            if e is True and g is None and fid in unsure and fid in findings().red_flags:
                for name in _groups_of(fid, e):
                    result.groups.setdefault(name, Counts()).tp += name.startswith("red_flag")
                    result.groups.setdefault(name, Counts()).fn += not name.startswith("red_flag")
                result.misses.append(Miss(str(story.get("id")), fid, e, g))
                continue
            if e is not None and e == g:
                for name in _groups_of(fid, e):
                    result.groups.setdefault(name, Counts()).tp += 1
                continue
            if g is not None:
                for name in _groups_of(fid, g):
                    result.groups.setdefault(name, Counts()).fp += 1
            if e is not None:
                for name in _groups_of(fid, e):
                    result.groups.setdefault(name, Counts()).fn += 1
            result.misses.append(Miss(str(story.get("id")), fid, e, g))
    return result


def load_stories(path: Path) -> list[dict[str, Any]]:
    """Annotated stories from a JSON Lines file (blank lines and // comments skipped)."""
    stories = []
    for n, story in read_json_lines(path, "stories file"):
        if not isinstance(story, dict):
            raise InputError(f"{printable(str(path))}:{n}: expected a JSON object")
        stories.append(story)
    return stories


@dataclass(frozen=True)
class TriageGap:
    """A story whose story-only level differs from its annotation's in a way that matters."""

    story: str
    stated: str  # the level the annotated answers give
    read: str  # the level the reading gives (what `check --story` shows)


def triage_gaps(stories: Iterable[Mapping[str, Any]]) -> list[TriageGap]:
    """Stories read as less urgent than their annotation states, or raised to emergency by a
    false reading: the reader's misses that change what a person is told to do."""
    from backstride.api import story_assessment
    from backstride.engine.assessment import assess
    from backstride.engine.evidence import Evidence
    from backstride.engine.triage import level_rank
    from backstride.kb import default_knowledge_base

    kb = default_knowledge_base()
    gaps = []
    for story in stories:
        stated = {str(k): bool(v) for k, v in story.get("expected", {}).items()}
        today = date.fromisoformat(story["today"]) if story.get("today") else None
        text = str(story.get("text", ""))

        def reader(t: str, today: date | None = today) -> tuple[Evidence, tuple[str, ...]]:
            reading = read_story(t, today=today)
            return reading.evidence(), reading.uncertain_ids()

        read = story_assessment(text, None, kb, read=reader).triage.level
        want = assess(Evidence(stated), kb).triage.level
        raised = read == "emergency" and want != "emergency"
        if raised or level_rank(read) < level_rank(want):
            gaps.append(TriageGap(str(story.get("id")), want, read))
    return gaps
