"""The reader's pipeline: a blank English model with medspaCy's tokenization rules, spaCy's
rule-based sentence splitter, our target rules (compiled once, `target_rules`) and our ConText
(`reader.context`) with our modifier rules.

Built once per process (cached). Nothing is downloaded: no pretrained model is loaded.

medspaCy's default sentence splitter, PyRuSH, is not used: on a 150-word story it took about
15 ms (pure Python, and it logs every decision at DEBUG level), and it missed breaks that lay
writing needs ("... blood in my urine. 35M"). spaCy's sentencizer, told that a line break also
ends a sentence, takes well under 1 ms.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from backstride.reader.context import ConText, ModifierRule
from backstride.reader.extract import age_patterns, duration_patterns
from backstride.reader.rules import (
    LOWER_ASCII,
    ContextRuleData,
    FastPattern,
    clause_openers,
    context_rules,
    fast_pattern,
    save_checked_rules,
    sentence_ends,
    target_groups,
)

SPAN_GROUP = "backstride_targets"

# ConText categories -> the context words a Mention carries.
CONTEXT_KIND = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HYPOTHETICAL": "hypothetical",
    "HISTORICAL": "historical",
    "FAMILY": "family",
    "OTHER_PERSON": "someone_else",
    "ANSWERED_NO": "answered_no",
    "ANSWERED_NO_TO_LIST": "answered_list",
}

_BREAKS = frozenset({",", ";", ":", "(", ")", "-", "--", "—", "–", "\n", ".", "!", "?", "..."})
# An emoji ends a clause the way a full stop does ("no leg pain 🙏 also peed blood")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def _ends(token: Any) -> bool:
    """True when the token ends a sentence or a line, or is an emoji."""
    text = token.text
    return (
        text in (";", ":", "(", ")", ".", "!", "?", "...")
        or "\n" in text
        or bool(_EMOJI.match(text))
    )


def _breaks(token: Any) -> bool:
    return token.text.strip() in _BREAKS or "\n" in token.text or bool(_EMOJI.match(token.text))


@dataclass(frozen=True)
class RawSpan:
    """A target span with the ConText kinds that modify it (character offsets in the text)."""

    label: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    kinds: frozenset[str]


def _between(target: Any, modifier: Any) -> Any:
    doc = target.doc
    if target.start >= modifier.end:
        return doc[modifier.end : target.start]
    return doc[target.end : modifier.start]


def _stop_clause(target: Any, modifier: Any, _between_span: Any) -> bool:
    return not any(_breaks(t) for t in _between(target, modifier))


def _stop_list(target: Any, modifier: Any, _between_span: Any) -> bool:
    """Reach along a list after a comma, but not into a new clause after it."""
    tokens = list(_between(target, modifier))
    breaks = [i for i, t in enumerate(tokens) if _breaks(t)]
    if not breaks:
        return True
    if any(_ends(t) for t in tokens):
        return False
    after_last = tokens[breaks[-1] + 1 :] if target.start >= modifier.end else tokens[: breaks[0]]
    return not any(t.lower_ in clause_openers() for t in after_last)


# A colon or a dash right after a list's modifier opens the list it reaches along
_LIST_OPENERS = frozenset({":", "-", "–", "—"})


def _stop_items(target: Any, modifier: Any, between_span: Any) -> bool:
    """Like `list`, and also along a list that a colon or a dash opens right after the
    modifier ("the nurse went through a list: numbness, trouble peeing, fever"; "asked the
    scary questions - numbness down below, the loo")."""
    if target.start >= modifier.end:
        tokens = list(_between(target, modifier))
        colon = next((i for i, t in enumerate(tokens) if t.text in _LIST_OPENERS), None)
        if colon is not None and colon <= 4 and not any(_breaks(t) for t in tokens[:colon]):
            rest = target.doc[modifier.end + colon + 1 : modifier.end + colon + 1]
            return _stop_list(target, rest, between_span)
    return _stop_list(target, modifier, between_span)


_STOPS: dict[str, Callable[[Any, Any, Any], bool]] = {
    "clause": _stop_clause,
    "list": _stop_list,
    "items": _stop_items,
}


def _modifier_rule(data: ContextRuleData, nlp: Any) -> ModifierRule:
    allowed = None
    if data.applies_to:
        wanted = set(data.applies_to)
        allowed = frozenset(g.key.upper() for g in target_groups() if wanted & set(g.ids))
    return ModifierRule(
        literal=data.literal,
        category=data.category,
        direction=data.direction,
        pattern=fast_pattern(data.pattern) if data.pattern is not None else None,
        tokens=tuple(t.text.translate(LOWER_ASCII) for t in nlp.make_doc(data.literal)),
        max_scope=data.max_scope,
        on_modifies=_STOPS[data.stop] if data.stop else None,
        terminated_by=frozenset(data.terminated_by),
        allowed_types=allowed,
    )


@dataclass(frozen=True)
class TargetRuleSet:
    """Every target rule compiled once: (label, pattern) pairs, matched on the whole text."""

    rules: tuple[tuple[str, FastPattern], ...]

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(label, start, end) of every match of every rule (characters; overlaps kept)."""
        lowered = text.translate(LOWER_ASCII)
        return [(label, s, e) for label, rx in self.rules for s, e in rx.spans(text, lowered)]


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """Literal phrases as one pattern: any run of spaces between words, whole words."""
    words = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@cache
def target_rules() -> TargetRuleSet:
    """Our target rules (targets.yaml groups, duration and age extractors), compiled once.

    medspaCy's TargetMatcher is not used: building it turned each phrase into a Doc and compiled
    each pattern a second and third time (about 1 s at every start), and its regex matcher
    rebuilt the text once per pattern at every read. Here each pattern is compiled once and
    matched on the lower-cased text; a group's literal phrases make one pattern. Matches are
    widened to whole tokens when they become spans, as medspaCy does.
    """
    rules: list[tuple[str, FastPattern]] = []
    for group in target_groups():
        if group.phrases:
            rules.append((group.key, fast_pattern(phrase_pattern(group.phrases))))
        rules += [(group.key, fast_pattern(p)) for p in group.patterns]
    for x in (*duration_patterns(), *age_patterns()):
        rules.append((x.label, fast_pattern(x.regex)))
    return TargetRuleSet(tuple(rules))


def quiet_pyrush() -> None:
    """PyRuSH (medspaCy's default sentence splitter) logs every decision at DEBUG level through
    loguru; silence it wherever it is loaded (only the benchmark's reference pipeline does)."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - PyRuSH depends on loguru
        return
    logger.disable("PyRuSH")


@cache
def _blank_with_tokenizer() -> Any:
    """spaCy's blank English model with medspaCy's tokenization rules and the sentencizer.

    medspaCy's tokenizer is spaCy's English one that also splits on every punctuation mark but
    the full stop ("back/leg", "chf+cp"), with no URL matching. `create_medspacy_tokenizer`
    compiles all of spaCy's prefix, suffix and infix rules again (about 0.2 s); here English is
    given the extended infix rule in its defaults, so its tokenizer is built once with it (setting
    `infix_finditer` afterwards re-checks every special case: another 0.12 s at each start). A
    test checks that the tokens are the same."""
    from spacy.lang.en import English

    punctuation = string.punctuation.replace(".", "")

    infixes = (*English.Defaults.infixes, f"[{re.escape(punctuation)}]")
    defaults = type("ReaderDefaults", (English.Defaults,), {"infixes": infixes, "url_match": None})
    reader_english: Any = type("ReaderEnglish", (English,), {"lang": "en", "Defaults": defaults})
    nlp: Any = reader_english()
    nlp.add_pipe("sentencizer", config={"punct_chars": sentence_ends()})
    return nlp


def bare_pipeline() -> Any:
    """The same tokenizer and sentencizer with no rules: the baseline for the benchmark."""
    return _blank_with_tokenizer.__wrapped__()


@cache
def pipeline() -> Any:
    """The reader's pipeline, built once per process: the tokenizer and the sentencizer.
    Targets are found by `target_rules()` and their context by `context()` (see `_run_piece`)."""
    nlp = _blank_with_tokenizer()
    target_rules()
    context()
    save_checked_rules()
    return nlp


@cache
def context() -> ConText:
    """Our ConText with the rules of context.yaml, built once per process (its literals cut
    into tokens by the pipeline's own tokenizer)."""
    nlp = _blank_with_tokenizer()
    return ConText([_modifier_rule(r, nlp) for r in context_rules()])


CHUNK_CHARS = 1500
"""Long stories are read in pieces of about this size, cut at line breaks or sentence ends:
ConText compares every modifier with every target of a text, so its time grows with the
square of the text's length (a 7,000-character post took 0.5 s whole, 34,000 took 5 s). Scope
never crosses a sentence, so reading in pieces changes nothing else."""

_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?]+[\"')\]]*\s+"))


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of the text, each at most about `size` characters, cut after a blank
    line, else a line break, else a sentence end, else a space (never inside a word)."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for rx in _CUTS:
            ends = [m.end() for m in rx.finditer(window) if m.end() > size // 3]
            if ends:
                cut = ends[-1]
                break
        if not cut:
            space = window.rfind(" ", size // 3)
            cut = space + 1 if space > 0 else size
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def run(
    text: str, subject: re.Pattern[str] | None = None
) -> tuple[list[tuple[int, int]], list[RawSpan]]:
    """Run the pipeline; return the sentences (character spans) and every target span with its
    context kinds. A long text is read in pieces (`chunks`); offsets are into the whole text.

    `subject` names the relative a proxy story is about: family and someone-else modifiers
    that name them ("my dad") do not apply, since the relative is read as the person."""
    sentences: list[tuple[int, int]] = []
    spans: list[RawSpan] = []
    for start, end in chunks(text):
        piece_sentences, piece_spans = _run_piece(text[start:end], subject)
        sentences += [(s + start, e + start) for s, e in piece_sentences]
        spans += [
            RawSpan(
                r.label,
                r.start + start,
                r.end + start,
                r.sent_start + start,
                r.sent_end + start,
                r.kinds,
            )
            for r in piece_spans
        ]
    return sentences, spans


def _run_piece(
    text: str, subject: re.Pattern[str] | None
) -> tuple[list[tuple[int, int]], list[RawSpan]]:
    nlp = pipeline()
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    found = []
    for label, start, end in target_rules().spans(text):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            found.append(span)
    # one span per label and token range, in document order
    unique = {(sp.start, sp.end, sp.label_): sp for sp in found}
    doc.spans[SPAN_GROUP] = sorted(unique.values(), key=lambda sp: (sp.start, sp.end))
    graph = context()(doc, doc.spans[SPAN_GROUP])
    kinds: dict[tuple[int, int, str], set[str]] = {}
    for target, modifier in graph.edges:
        kind = CONTEXT_KIND.get(modifier.category)
        m_start, m_end = modifier.modifier_span
        if (
            subject is not None
            and kind in ("family", "someone_else")
            and subject.search(doc[m_start:m_end].text)
        ):
            continue
        # medspaCy only checks the target's edges against the modifier; a modifier wholly
        # inside a target ("haven't been able to pee") must not modify it either.
        if kind and not (m_start < target.end and target.start < m_end):
            kinds.setdefault((target.start, target.end, target.label_), set()).add(kind)
    # A negation that runs into the start of a target ("No problems" + "problems peeing") gets
    # no edge from medspaCy, which rejects every overlap; it does negate the target.
    negators = [
        m.modifier_span
        for m in graph.modifiers
        if m.category == "NEGATED_EXISTENCE" and m.direction == "FORWARD"
    ]
    spans = []
    for span in doc.spans.get(SPAN_GROUP, ()):
        if any(s < span.start < e <= span.end for s, e in negators):
            kinds.setdefault((span.start, span.end, span.label_), set()).add("negated")
        sent = span.sent
        spans.append(
            RawSpan(
                label=span.label_,
                start=span.start_char,
                end=span.end_char,
                sent_start=sent.start_char,
                sent_end=sent.end_char,
                kinds=frozenset(kinds.get((span.start, span.end, span.label_), ())),
            )
        )
    return [(x.start_char, x.end_char) for x in doc.sents], spans
