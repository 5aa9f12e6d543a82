"""The medspaCy pipeline: a blank English model with medspaCy's tokenizer, spaCy's rule-based
sentence splitter, a medspaCy TargetMatcher loaded with our target rules, and medspaCy's ConText
with our modifier rules.

Built once per process (cached). Nothing is downloaded: no pretrained model is loaded.

medspaCy's default sentence splitter, PyRuSH, is not used: on a 150-word story it took about
15 ms (pure Python, and it logs every decision at DEBUG level), and it missed breaks that lay
writing needs ("... blood in my urine. 35M"). spaCy's sentencizer, told that a line break also
ends a sentence, takes well under 1 ms.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from backstride.reader.extract import age_patterns, duration_patterns
from backstride.reader.rules import (
    LOWER_ASCII,
    ContextRuleData,
    FastPattern,
    clause_openers,
    context_rules,
    sentence_ends,
    target_groups,
    whole_words,
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
}

_BREAKS = frozenset({",", ";", ":", "(", ")", "-", "--", "—", "–", "\n", ".", "!", "?", "..."})


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
    return not any(t.text.strip() in _BREAKS or "\n" in t.text for t in _between(target, modifier))


def _stop_list(target: Any, modifier: Any, _between_span: Any) -> bool:
    """Reach along a list after a comma, but not into a new clause after it."""
    tokens = list(_between(target, modifier))
    breaks = [i for i, t in enumerate(tokens) if t.text.strip() in _BREAKS or "\n" in t.text]
    if not breaks:
        return True
    if any(t.text in (";", ":", "(", ")", ".", "!", "?", "...") or "\n" in t.text for t in tokens):
        return False
    after_last = tokens[breaks[-1] + 1 :] if target.start >= modifier.end else tokens[: breaks[0]]
    return not any(t.lower_ in clause_openers() for t in after_last)


_STOPS: dict[str, Callable[[Any, Any, Any], bool]] = {"clause": _stop_clause, "list": _stop_list}


def _context_rule(data: ContextRuleData) -> Any:
    from medspacy.context import ConTextRule

    # The pattern given to medspaCy is only used if the faster backend is not installed.
    pattern = whole_words(data.pattern) if data.pattern is not None else None
    allowed = None
    if data.applies_to:
        wanted = set(data.applies_to)
        allowed = {g.key for g in target_groups() if wanted & set(g.ids)}
    return ConTextRule(
        allowed_types=allowed,
        literal=data.literal,
        category=data.category,
        pattern=pattern,
        direction=data.direction,
        max_scope=data.max_scope,
        on_modifies=_STOPS[data.stop] if data.stop else None,
        terminated_by=set(data.terminated_by) or None,
    )


def _target_rules() -> tuple[list[Any], dict[str, str]]:
    """TargetRules for every group and extractor, and each regex rule's name -> its pattern."""
    from medspacy.target_matcher import TargetRule

    rules, patterns = [], {}
    for group in target_groups():
        rules += [TargetRule(literal=p, category=group.key) for p in group.phrases]
        for i, p in enumerate(group.patterns):
            name = f"{group.key}_{i}"
            patterns[name] = p
            rules.append(TargetRule(literal=name, category=group.key, pattern=whole_words(p)))
    for x in (*duration_patterns(), *age_patterns()):
        patterns[x.label] = x.regex
        rules.append(TargetRule(literal=x.label, category=x.label, pattern=whole_words(x.regex)))
    return rules, patterns


def _faster_regex_matching(component: Any, patterns: dict[str, str]) -> None:
    """Give a medspaCy matcher (TargetMatcher or ConText) a faster regex backend.

    medspaCy's RegexMatcher rebuilds `doc.text_with_ws` once per pattern and matches
    case-insensitively with a word-boundary check first, which keeps Python's regex engine from
    skipping ahead: with hundreds of rules that was most of the reading time. This backend
    builds the text once, matches our lower-case patterns on lower-cased text, and widens each
    match to whole tokens as medspaCy does. `patterns` maps each rule id's label to its
    pattern strings (as written in the rules files).
    """
    from medspacy.common.regex_matcher import RegexMatcher

    compiled: dict[int, list[FastPattern]] = {}

    class _OneTextRegexMatcher(RegexMatcher):  # type: ignore[misc]
        def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
            text = doc.text
            lowered = text.translate(LOWER_ASCII)
            matches = []
            for match_id, rules in compiled.items():
                for rule in rules:
                    for start, end in rule.spans(text, lowered):
                        span = doc.char_span(start, end, alignment_mode="expand")
                        if span is not None and len(span):
                            matches.append((match_id, span.start, span.end))
            return matches

    matcher = getattr(component, f"_{type(component).__name__}__matcher")
    regex = matcher._MedspacyMatcher__regex_matcher
    strings = regex.vocab.strings
    for rule_id, rule in matcher.rule_map.items():
        if isinstance(rule.pattern, str):
            compiled.setdefault(strings[rule_id], []).append(FastPattern(patterns[rule.literal]))
    regex.__class__ = _OneTextRegexMatcher


def quiet_pyrush() -> None:
    """PyRuSH (medspaCy's default sentence splitter) logs every decision at DEBUG level through
    loguru; silence it wherever it is loaded (only the benchmark's reference pipeline does)."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - PyRuSH depends on loguru
        return
    logger.disable("PyRuSH")


def bare_pipeline() -> Any:
    """The same components with no rules: medspaCy's tokenizer, the sentencizer, an empty
    TargetMatcher and ConText with no rules. The baseline for the benchmark."""
    import medspacy
    import spacy

    nlp = medspacy.load(spacy.blank("en"), medspacy_enable=["medspacy_tokenizer"])
    nlp.add_pipe("sentencizer", config={"punct_chars": sentence_ends()})
    nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": SPAN_GROUP,
            "span_attrs": None,
        },
    )
    return nlp


@cache
def pipeline() -> Any:
    """The reader's pipeline, built once per process."""
    nlp = bare_pipeline()
    targets, context = nlp.get_pipe("medspacy_target_matcher"), nlp.get_pipe("medspacy_context")
    target_rules, target_patterns = _target_rules()
    targets.add(target_rules)
    context.add([_context_rule(r) for r in context_rules()])
    _faster_regex_matching(targets, target_patterns)
    _faster_regex_matching(
        context, {r.literal: r.pattern for r in context_rules() if r.pattern is not None}
    )
    return nlp


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
    with warnings.catch_warnings():
        # spaCy warns on every call that the token Matcher is empty: we use phrase and regex rules.
        warnings.filterwarnings("ignore", message=r"\[W036\]")
        doc = nlp(text)
    kinds: dict[tuple[int, int, str], set[str]] = {}
    graph = doc._.context_graph
    for target, modifier in graph.edges if graph is not None else ():
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
        for m in (graph.modifiers if graph is not None else ())
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
