"""What the reader returns: mentions found in a story, and the evidence they amount to."""

from __future__ import annotations

from dataclasses import dataclass

from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.reader.rules import findings

# Context words that keep a mention from being an answer about the person.
NOT_ABOUT_NOW = frozenset({"hypothetical", "family", "someone_else"})


@dataclass(frozen=True)
class Mention:
    """One finding read from the story: the exact words, where they are, and their context."""

    id: str
    present: bool
    text: str
    start: int
    end: int
    context: tuple[str, ...]
    uncertain: bool = False

    @property
    def is_answer(self) -> bool:
        """True when this mention answers the finding (not uncertain, hypothetical or someone
        else's)."""
        if self.uncertain:
            return False
        if "family" in self.context and self.id == "family_history_spondyloarthritis":
            return True
        return not (NOT_ABOUT_NOW & set(self.context))

    def as_json(self) -> dict[str, object]:
        """The machine-readable shape of shared/contract/cli.md."""
        return {
            "id": self.id,
            "present": self.present,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "context": list(self.context),
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class StoryReading:
    """The result of reading one story."""

    text: str
    mentions: tuple[Mention, ...]
    messages: tuple[str, ...]
    truncated: bool

    def _resolved(self) -> tuple[dict[str, bool], list[str]]:
        """Answers per finding, and the findings to ask about early, in order of first mention.

        A red flag read as present always wins. A red flag that is also mentioned uncertainly is
        asked rather than answered no. Other findings read both yes and no are asked.
        """
        red = findings().red_flags
        yes: dict[str, bool] = {}
        no: dict[str, bool] = {}
        unsure: dict[str, bool] = {}
        order: list[str] = []
        for m in self.mentions:
            if m.id not in order:
                order.append(m.id)
            if m.uncertain and not (NOT_ABOUT_NOW & set(m.context)):
                unsure[m.id] = True
            elif m.is_answer:
                (yes if m.present else no)[m.id] = True
        answers: dict[str, bool] = {}
        ask: list[str] = []
        for fid in order:
            if fid in yes and (fid in red or fid not in no):
                answers[fid] = True
            elif fid in no and fid not in yes and not (fid in red and fid in unsure):
                answers[fid] = False
            elif fid in yes or fid in no or fid in unsure:
                ask.append(fid)
        return answers, ask

    def evidence(self) -> Evidence:
        """Present and negated mentions as story answers; uncertain, hypothetical and other
        people's mentions are not answers."""
        answers, _ = self._resolved()
        return Evidence({fid: Answer(value, Origin.STORY) for fid, value in answers.items()})

    def uncertain_ids(self) -> tuple[str, ...]:
        """Findings mentioned uncertainly or contradictorily, for the interview to ask early."""
        return tuple(self._resolved()[1])
