"""Our ConText: modifiers (negation, uncertainty, hypotheticals, history, other people) found
in a Doc and linked to the target spans in their scope.

This follows medspaCy's ConText (version 1.3, MIT licence: Eyre et al. 2021, after Harkema et
al. 2009, "ConText: an algorithm for determining negation, experiencer, and temporal status
from clinical reports") step by step, so the rules of `rules/context.yaml` mean what they meant
there: matches pruned to the longest of any overlap; a scope running from the modifier to the
sentence end (forward), start (backward) or both, cut to `max_scope` tokens; a scope cut at a
modifier of the same category, a TERMINATE modifier or a category named in `terminated_by`;
PSEUDO and TERMINATE modifiers modify nothing; a modifier never modifies a target it overlaps.

Why our own: importing medspaCy loads QuickUMLS, NLTK and PyRuSH (about 0.4 s at every start,
a third of a spaCy import) for one component of 150 lines, and its matcher rebuilds the text
once per pattern at every read. Ours compiles each pattern once (shared with the rules' checks)
and matches literals on lower-cased tokens, as medspaCy's phrase matcher does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from backstride.reader.rules import LOWER_ASCII, FastPattern

OnModifies = Callable[[Any, Any, Any], bool]


@dataclass(frozen=True)
class ModifierRule:
    """One modifier rule, compiled: a regex pattern or a literal (a sequence of lower-cased
    tokens), what it means and how far it reaches."""

    literal: str
    category: str
    direction: str  # FORWARD, BACKWARD, BIDIRECTIONAL, TERMINATE or PSEUDO
    pattern: FastPattern | None = None
    tokens: tuple[str, ...] = ()
    max_scope: int | None = None
    on_modifies: OnModifies | None = None
    terminated_by: frozenset[str] = frozenset()
    allowed_types: frozenset[str] | None = None  # upper-case target labels; None = all


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # medspaCy's test (kept as it is, since our rules were tuned with it): it misses a span
    # wholly inside the other one.
    return a[0] <= b[0] < a[1] or a[0] < b[1] <= a[1]


@dataclass
class Modifier:
    """A matched modifier with its scope (token offsets, end exclusive)."""

    rule: ModifierRule
    start: int
    end: int
    scope_start: int = 0
    scope_end: int = 0
    targets: list[Any] = field(default_factory=list)

    @property
    def category(self) -> str:
        """The rule's category (NEGATED_EXISTENCE, HYPOTHETICAL, ...)."""
        return self.rule.category

    @property
    def direction(self) -> str:
        """The rule's direction."""
        return self.rule.direction

    @property
    def modifier_span(self) -> tuple[int, int]:
        """Where the modifier's own words are (tokens)."""
        return self.start, self.end

    def set_scope(self, sent_start: int, sent_end: int) -> None:
        """The scope in the sentence, in the rule's direction, cut to its `max_scope`."""
        limit, direction = self.rule.max_scope, self.direction
        if direction == "FORWARD":
            self.scope_start, self.scope_end = self.end, sent_end
            if limit is not None and self.scope_end - self.scope_start > limit:
                self.scope_end = self.end + limit
        elif direction == "BACKWARD":
            self.scope_start, self.scope_end = sent_start, self.start
            if limit is not None and self.scope_end - self.scope_start > limit:
                self.scope_start = self.start - limit
        else:
            self.scope_start, self.scope_end = sent_start, sent_end
            if limit is not None and self.start - self.scope_start > limit:
                self.scope_start = self.start - limit
            if limit is not None and self.scope_end - self.end > limit:
                self.scope_end = self.end + limit

    def limit_scope(self, other: Modifier) -> None:
        """Cut this scope at `other` when it ends it: same category, TERMINATE, or named in
        `terminated_by`."""
        if not _overlaps((self.scope_start, self.scope_end), (other.scope_start, other.scope_end)):
            return
        if self.direction == "TERMINATE":
            return
        if (
            other.direction != "TERMINATE"
            and other.category not in self.rule.terminated_by
            and other.category != self.category
        ):
            return
        if self.category == other.category and self.rule.allowed_types != other.rule.allowed_types:
            return
        if self.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > self.start:
            self.scope_end = min(self.scope_end, other.start)
        if self.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < self.end:
            self.scope_start = max(self.scope_start, other.end)

    def modifies(self, target: Any) -> bool:
        """Whether the target lies in the scope and the rule may modify it."""
        if _overlaps((self.start, self.end), (target.start, target.end)):
            return False
        if self.direction in ("TERMINATE", "PSEUDO"):
            return False
        allowed = self.rule.allowed_types
        if allowed is not None and target.label_.upper() not in allowed:
            return False
        if not _overlaps((self.scope_start, self.scope_end), (target.start, target.end)):
            return False
        if self.rule.on_modifies is None:
            return True
        doc = target.doc
        between = doc[min(target.end, self.end) : max(target.start, self.end)]
        return self.rule.on_modifies(target, doc[self.start : self.end], between)


@dataclass
class ContextGraph:
    """The modifiers found in a Doc and the (target, modifier) edges between them."""

    modifiers: list[Modifier]
    edges: list[tuple[Any, Modifier]]


def prune_overlapping(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of any two overlapping (rule, start, end) matches keep the longer one (medspaCy's
    `prune_overlapping_matches`, repeated until nothing changes)."""
    while True:
        ordered = sorted(matches, key=lambda m: (m[1], m[2]))
        pruned: list[tuple[int, int, int]] = []
        i = 0
        while i < len(ordered):
            current = ordered[i]
            if i + 1 < len(ordered) and _overlaps(current[1:], ordered[i + 1][1:]):
                nxt = ordered[i + 1]
                pruned.append(max(current, nxt, key=lambda m: m[2] - m[1]))
                i += 2
            else:
                pruned.append(current)
                i += 1
        if len(pruned) == len(matches):
            return pruned
        matches = pruned


class ConText:
    """Find the modifiers of a Doc and link them to its target spans."""

    def __init__(self, rules: Sequence[ModifierRule]) -> None:
        self.rules = tuple(rules)
        self._literals: dict[tuple[str, ...], list[int]] = {}
        for i, rule in enumerate(self.rules):
            if rule.pattern is None:
                self._literals.setdefault(rule.tokens, []).append(i)
        self._first_words = {words[0] for words in self._literals}

    def matches(self, doc: Any) -> list[tuple[int, int, int]]:
        """(rule index, start token, end token) of every modifier, longest of any overlap."""
        found: list[tuple[int, int, int]] = []
        lower = [t.text.translate(LOWER_ASCII) for t in doc]
        for k, word in enumerate(lower):
            if word not in self._first_words:
                continue
            for words, rules in self._literals.items():
                if tuple(lower[k : k + len(words)]) == words:
                    found += [(i, k, k + len(words)) for i in rules]
        text = doc.text
        lowered = text.translate(LOWER_ASCII)
        for i, rule in enumerate(self.rules):
            if rule.pattern is None:
                continue
            for start, end in rule.pattern.spans(text, lowered):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and len(span):
                    found.append((i, span.start, span.end))
        return prune_overlapping(found)

    def __call__(self, doc: Any, targets: Sequence[Any]) -> ContextGraph:
        """The modifiers of the Doc (its sentences set) and their edges to the targets."""
        modifiers = []
        for i, start, end in self.matches(doc):
            modifier = Modifier(self.rules[i], start, end)
            sent = doc[start].sent
            modifier.set_scope(sent.start, sent.end)
            modifiers.append(modifier)
        for i, first in enumerate(modifiers):
            for second in modifiers[i + 1 :]:
                first.limit_scope(second)
                second.limit_scope(first)
        edges = []
        for target in targets:
            for modifier in modifiers:
                if modifier.modifies(target):
                    modifier.targets.append(target)
        for modifier in modifiers:
            edges += [(target, modifier) for target in modifier.targets]
        return ContextGraph(modifiers, edges)
