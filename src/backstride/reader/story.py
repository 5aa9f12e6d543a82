"""Reading a story: run the pipeline, then turn its spans into Mentions."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from backstride.reader.clean import clean, compose, without_bad_bytes
from backstride.reader.extract import (
    about_it,
    after_means_onset,
    age_excluded,
    continues_story,
    duration_anchored,
    duration_excluded,
    duration_of_other_topic,
    lone_age,
    long_standing,
    names_the_back,
    parse_age,
    parse_duration,
    past_episode,
    tells_onset,
    threshold_answers,
    worsened,
)
from backstride.reader.extract import age_patterns as _age_patterns
from backstride.reader.extract import duration_patterns as _duration_patterns
from backstride.reader.model import Mention, StoryReading
from backstride.reader.pipeline import RawSpan, run
from backstride.reader.proxy import Subject, find_subject, rewrite
from backstride.reader.rules import (
    LOWER_ASCII,
    TargetGroup,
    both_legs_rule,
    extractor_tables,
    findings,
    target_groups,
    word_lists,
)

MAX_CHARS = 100_000
"""Stories are read whole up to this many characters (about 15,000 words; a long forum post is
5,000 to 10,000). A longer story is cut at a word boundary and every command says so, naming
where the unread part starts."""

MSG_EMPTY = "The story is empty, so the questions will cover everything."
MSG_NOTHING = "I could not read any findings; please answer the questions."
MSG_TRUNCATED = (
    "Your story is long: I read only about its first {n:,} characters. The rest, from "
    '"{rest}...", was not read: tell me anything important from it when I ask.'
)
MSG_PROXY = "This story is about your {word}: I read what it says about them as their answers."

# A point in time in a sentence that states one of these kinds of finding dates the symptom.
# Not what makes it worse ("jumping off a kerb yesterday gave me a jolt" is not the onset), nor
# a new bladder, bowel or sexual change, which is often dated apart from the pain it joins.
SYMPTOM_CATEGORIES = frozenset({"course", "location", "quality", "neuro"})
_DATED_APART = frozenset(
    {"bladder_change", "bowel_change", "new_sexual_dysfunction", "saddle_numbness"}
)

# A sentence of at most this many words is a fragment of the one before ("Low back, both sides.")
_FRAGMENT_WORDS = 6
# A side named as the one compared with: "I can't go up on tiptoe on that side the way I can on
# the right", "weaker than the right", "unlike my left"
_COMPARED = re.compile(
    r"\b(the way (i|you|he|she) (can|could|do)|unlike|compared (to|with)|than|as opposed to"
    r"|whereas|but not|not the|same as)\b[^.,;]*$"
)
# A sentence opening like this is about what the previous one described.
_BORROWS = re.compile(
    r"^\W*(same|also|ditto|likewise|and the same|(and |now |but )?(it|it's|its|it is)|that|this"
    r"|the pain|the (\w+ ){0,2}(thing|problem|issue|business))\b",
    re.IGNORECASE,
)
# How many sentences back a chain of "it" sentences may reach for the thing "it" is
_BORROW_CHAIN = 3
_SENT_END = re.compile(r"[.!?]+\s*$")
# A general no, then its exception: "no pain in the leg except a little in the back of the thigh"
_EXCEPTION = re.compile(
    r"\b(except|excepting|apart from|other than|besides|bar|save for|but for|aside from)\b",
    re.IGNORECASE,
)
_ONE_SENTENCE_BREAK = re.compile(r"[.!?\n]")
# "has been sore", "had it", "been going on" just before a "since ...": a length of time
_BEEN_BEFORE = re.compile(r"(?i)\b(been|had (it|this|them))( \w+){0,3}\s*$")
# A quoted line of a reply ("> Any numbness?"), with the first line of the answer after it. A
# prompt pasted from a terminal (">>> ", "> " with no reply after it) is not a quote: the
# writer's own words follow it.
_QUOTED = re.compile(r"^[ \t]*>(?!>> )[^\n]*(?:\n[ \t]*>(?!>> )[^\n]*)*", re.MULTILINE)
_REPLY = re.compile(r"\s*([^\n]*)")
_REPLY_NO = re.compile(
    r"\W*(no|nope|nah|none|neither|never|not really|not at all)\b", re.IGNORECASE
)
# A sentence that answers no to every question of the one before it ("The nurse went through
# a list: numbness, fever. I said no to all of it.")
_ANSWER_ALL_NO = re.compile(
    r"\W*((and |but )?(i|he|she) (said|answered|told (him|her|them)( that)?) no"
    r"|(it'?s |it was )?no to (all|each|every|any)"
    r"|none of (them|those|that|it|these)( applies?| apply| are| is)?"
    r"|(i have |i've (got )?|i had )?(nothing|none) of (that|those|them|it)"
    r"|(i )?(don'?t|didn'?t|do not|did not) have (any|anything) (of )?(that|those|them|like that)"
    r"|all (no|negative))\b",
    re.IGNORECASE,
)
# The writer's own question and its answer in the next sentence: "Night pain that won't settle?
# No, it settles once I'm up." is a no; "Is my leg weaker? Honestly not sure." is uncertain.
_QUESTION_END = re.compile(r"\?[\s\"')\]]*$")
_SELF_QUESTION = re.compile(
    r"\W*(is|are|was|were|has|have|does|do|did|am)(n'?t)? (my|i)\b",
    re.IGNORECASE,
)
# a form field answered yes right after the words read: "Weight loss - yes", "Night pain: Y"
_FIELD_YES = re.compile(
    r"[ \t]*(\([^)\n]{0,20}\)[ \t]*)?[:=\-\u2013\u2014][ \t]*(yes|yep|yeah|y|positive)\b", re.I
)
# ... or no, in brackets or after a dash, within the same clause: "(no)", "(no, ...)", "- no and no"
_FIELD_NO = re.compile(
    r"[^.!?()\n]{0,50}?(\(\s*(no|nope|nah|none|never)(\s+(at all|to (all|both|any|each|everything)"
    r"( of (that|them|those|it))?))?\s*[),;]"
    r"|\s[\u2013\u2014-]\s*(no|nope|nah|none)(\s*(and|,|&)\s*(no|nope|nah))*\s*([.,;)]|$))",
    re.I,
)
_ANSWER_NO = re.compile(
    r"\W*(no|nope|nah|not really|not at all|none|never|nothing|neither|nil|not once"
    r"|not (a|one|a single) (pound|kilo|ounce|gram|bit|thing|drop|day|night|time|chance|jot))"
    r"\s*([,.!;:(\-\u2013\u2014]|$)",
    re.I,
)
_ANSWER_UNSURE = re.compile(
    r"\W*(honestly |really |i'?m |i am |to be honest,? |tbh,? )?(not sure|unsure|dunno|no idea"
    r"|maybe|possibly|perhaps|can'?t tell|hard to (say|tell)|not certain|i don'?t know)\b",
    re.IGNORECASE,
)
_REPLY_YES = re.compile(r"\W*(yes|yeah|yep|yup|i do|i have|correct|definitely)\b", re.IGNORECASE)
# A question put to someone ("Any fever?", "Doctor: have you had numbness?") asks, it does not
# tell; a speaker's name may open a line of a pasted chat ("Me: no fever").
_ASKED = re.compile(
    r"\W*(?:[a-z]{1,15}:\s*)?(any|anything|do you|have you|did you|are you|is there|are there"
    r"|got any|ever had|ever|what about|how about|what if"
    r"|could (it|this|that) be|can (it|this) be"
    # a general question ("Can pain in waves be a stone?", "Does a kidney infection always
    # come with a temperature?"); one about the writer has "I"/"my" and is handled apart
    r"|(can|could|does|do|is|would|will|should|might|may) (a|an|the|pain|it|this|that|\w+s)\b)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(r"\W*[a-z]{1,15}:\s*", re.IGNORECASE)
_DENIES = re.compile(r"\W*(no|not|none|never|nope|nah)\b", re.IGNORECASE)
# The writer as the subject of a clause ("I had", "I've had", "Had back trouble ...").
_OWN = re.compile(r"\b(i|i'?ve|i'?d)\b|^\W*(had|have had|been)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|im|ive|my|me|mine)\b", re.IGNORECASE)


def _truncate(text: str) -> tuple[str, str]:
    """The part of the story that is read, and the part that is not (empty when none)."""
    if len(text) <= MAX_CHARS:
        return text, ""
    cut = text.rfind(" ", MAX_CHARS - 200, MAX_CHARS)
    cut = cut if cut > 0 else MAX_CHARS
    return text[:cut], text[cut:]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _longest_per_finding(spans: list[RawSpan], groups: dict[str, TargetGroup]) -> list[RawSpan]:
    """Among overlapping spans that speak of the same finding keep the longest: a phrase and a
    pattern may both match, and "pee" inside "haven't been able to pee" is not a second
    mention."""

    def ids(span: RawSpan) -> set[str]:
        group = groups[span.label]
        return {*group.ids, *([group.family_id] if group.family_id else [])}

    kept: list[RawSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label)):
        if not any(
            _overlaps((k.start, k.end), (span.start, span.end)) and ids(k) & ids(span) for k in kept
        ):
            kept.append(span)
    return kept


class _Reader:
    def __init__(
        self,
        text: str,
        norm: str,
        today: date,
        subject: Subject | None = None,
        offsets: list[int] | None = None,
    ) -> None:
        # `norm` is what the pipeline read (a proxy story in the first person); `offsets` maps
        # each of its characters back into `text`.
        self.text, self.norm, self.today = text, norm, today
        self.subject, self.offsets = subject, offsets
        self.lowered = norm.translate(LOWER_ASCII)
        self.groups: dict[str, TargetGroup] = {g.key: g for g in target_groups()}
        self.info = findings()
        self._excluded: dict[str, list[tuple[int, int]]] = {}
        self.sentences: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._symptom_sentences: set[int] = set()

    # ------------------------------------------------------------------ helpers
    def _exclusions(self, group: TargetGroup) -> list[tuple[int, int]]:
        if group.key not in self._excluded:
            self._excluded[group.key] = [
                span for rx in group.exclude for span in rx.spans(self.norm, self.lowered)
            ]
        return self._excluded[group.key]

    def _sentence_index(self, span: RawSpan) -> int:
        i = bisect_right(self._starts, span.start) - 1
        if i >= 0 and self.sentences[i][0] <= span.start < self.sentences[i][1]:
            return i
        return -1

    def set_sentences(self, sentences: list[tuple[int, int]]) -> None:
        """The sentences of the text read (character spans, in order)."""
        self.sentences = sentences
        self._starts = [s for s, _ in sentences]

    def _context_text(self, span: RawSpan) -> str:
        """The span's sentence, plus the previous one when it opens with "same"/"also"/"it", when
        it is a fragment of a few words, or when it answers a quoted question."""
        sentence = self.norm[span.sent_start : span.sent_end]
        i = self._sentence_index(span)
        # a fragment of a few words ("Across the low back, both sides.") goes on the last one,
        # and so does a reply to a quoted question ("> where is the pain? / deep in the buttock")
        if i > 0:
            s, e = self.sentences[i - 1]
            before = self.norm[s:e]
            if _BORROWS.match(sentence):
                # "It" carries on the story of the sentence before, and that one's "it" the
                # one before it: "A pain low in my back. But it hasn't settled. It's constant."
                j = i - 1
                while j > 0 and i - j < _BORROW_CHAIN and _BORROWS.match(self.norm[s:e]):
                    j -= 1
                    s = self.sentences[j][0]
                return self.norm[s:e] + " " + sentence
            if len(sentence.split()) <= _FRAGMENT_WORDS or before.lstrip().startswith(">"):
                return before + " " + sentence
        return sentence

    def _mention(
        self, fid: str, present: bool, span: RawSpan, context: tuple[str, ...], uncertain: bool
    ) -> Mention:
        start, end = span.start, span.end
        if self.offsets is not None:
            start, end = self.offsets[start], self.offsets[end - 1] + 1 if end > start else start
        return Mention(fid, present, self.text[start:end], start, end, context, uncertain)

    # ------------------------------------------------------------------ target groups
    def accepts(self, span: RawSpan) -> bool:
        """False when an exclusion overlaps the span or a needed word is missing."""
        group = self.groups[span.label]
        if any(_overlaps((span.start, span.end), x) for x in self._exclusions(group)):
            return False
        return not (group.needs and not word_lists()[group.needs].search(self._context_text(span)))

    def group_mentions(self, group: TargetGroup, span: RawSpan) -> list[Mention]:
        kinds = set(span.kinds) - group.ignore
        if "answered_no" in kinds:  # "asked whether I had X and I don't": a no to X
            kinds = (kinds - {"answered_no", "hypothetical"}) | {"negated"}
        if "answered_list" in kinds:
            # "asked the scary questions - A, B - and I can't say I've had anything like that":
            # a no to what was asked, never to a statement before it ("better when I rest, and
            # I haven't had any of those")
            if "hypothetical" in kinds:
                kinds = (kinds - {"answered_list", "hypothetical"}) | {"negated"}
            kinds.discard("answered_list")
        negated = "negated" in kinds
        if (group.affirmed == "ignore" and not negated) or (group.denied == "ignore" and negated):
            return []
        # A denial stays a denial when negated: in "no fever, no numbness, legs are fine" the
        # list's negation runs on; double negatives ("legs are not fine") are too rare to trust.
        present = group.value and not negated
        context: tuple[str, ...] = tuple(
            k
            for k in (
                "negated",
                "uncertain",
                "hypothetical",
                "historical",
                "family",
                "someone_else",
            )
            if k in kinds
        )
        ids = group.ids
        if group.family_id:
            if "family" not in kinds:
                return []
            ids = (group.family_id,)
        vague = group.affirmed == "uncertain" and not negated
        if vague:
            context = (*context, "net" if group.net else "vague")
        # `present` is true only for the subject, now, asserted: a relative's, someone else's
        # or a hypothetical finding is not present (shared/contract/cli.md), nor a past one
        # where the finding is about now; the last is asked early (uncertain).
        about_someone_else = bool(kinds & {"hypothetical", "someone_else"}) or (
            "family" in kinds and not group.family_id
        )
        out = []
        for fid in ids:
            uncertain = "uncertain" in kinds or vague
            past = "historical" in kinds and fid not in self.info.history
            if past:
                uncertain = True
            now = present and not about_someone_else and not past
            out.append(self._mention(fid, now, span, context, uncertain))
        first = out[0] if out else None
        if first is not None and first.is_answer and first.present:
            for fid, value in group.implies:
                out.append(self._mention(fid, value, span, (*context, "implied"), False))
        return out

    # ------------------------------------------------------------------ durations
    def duration_mentions(
        self, spans: list[RawSpan], told: Sequence[Mention] = ()
    ) -> list[Mention]:
        """The duration findings from the time that dates this episode of pain, and the history
        of back pain from a past episode ("a bad back 8 years ago, which cleared up").

        ``told`` are the findings already read: a point in time in a sentence that states a
        symptom ("Since Friday I can't stand on tiptoe") dates it, whatever its words, and an
        amount read as the person's age ("triathlete from Munich, 36 years") dates nothing."""
        kinds = {p.label: p.kind for p in _duration_patterns()}
        self._symptom_sentences = self._sentences_with_symptoms(told)
        ages = [self._norm_span(m) for m in told if m.id.startswith("age_")]
        spans = [s for s in spans if not any(_overlaps((s.start, s.end), a) for a in ages)]
        best: tuple[bool, bool, bool, float, float, RawSpan] | None = None
        history: RawSpan | None = None
        pain = word_lists()["pain"]
        kept: list[RawSpan] = []
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), kinds[s.label] != "strong")):
            if any(_overlaps((k.start, k.end), (span.start, span.end)) for k in kept):
                continue
            kept.append(span)
            # a hedged time ("probably 6 weeks", "I think 3 weeks") is still the writer's
            # estimate of it, so uncertainty does not drop a duration
            if span.kinds & {"hypothetical", "family", "someone_else", "negated", "historical"}:
                continue
            before = self.norm[span.sent_start : span.start]
            after = self.norm[span.end : span.sent_end]
            text = self.norm[span.start : span.end]
            sentence = self.norm[span.sent_start : span.sent_end]
            kind = kinds[span.label]
            if kind == "history":  # "on and off since my 20s": the history, not this episode
                if names_the_back(sentence):
                    history = history or span
                continue
            # "been sore since August", "had it since the 9th": said as a length of time
            strong = kind == "strong" or (
                text.lower().startswith("since") and bool(_BEEN_BEFORE.search(before))
            )
            # A time that dates an event ("2 days ago", "deadlifting on Monday", "at swim
            # yesterday") is the onset whatever activity comes before it.
            point = text.lower().endswith(("ago", "back")) or after_means_onset(text)
            if not point and duration_excluded(before, after, weak=not strong, text=text):
                continue
            if not strong and re.match(r"(?i)an?\s", text) and not point:
                continue  # "a day or two of rest", "9 hours a day": not a length of time
            if not strong and not self._anchored(span):
                continue
            if duration_of_other_topic(sentence):
                continue
            parsed = parse_duration(span.label, self.norm, span.start, span.end, self.today)
            if parsed is None:
                continue
            clause = self._clause_text(span)
            # the writer's own back ("I had", "Had ...", not "my running buddy had")
            own_back = names_the_back(clause) and bool(_OWN.search(before))
            if past_episode(clause):  # an earlier episode that ended: history, not this one
                if own_back:
                    history = history or span
                continue
            if strong and parsed[0] >= 365 and own_back and long_standing(clause):
                history = history or span  # "disc trouble in my back for years"
            around = self._story_around(span)
            if not strong and worsened(clause) and not tells_onset(clause):
                continue  # "got much worse three days ago": not when it began
            old = text.lower().endswith(("ago", "back")) or re.match(r"(?i)(in|last)\s", text)
            if old and parsed[0] >= 365 and not tells_onset(around):
                # "a stress fracture two years ago": an old event, not this onset; "had
                # sciatica three years ago" is the history of back pain
                if own_back and re.search(r"(?i)\bhad\b", clause):
                    history = history or span
                continue
            # The pain's own duration wins: one said in a sentence about the pain (or about
            # "it", or a sentence that is only the duration), then one that says the pain
            # began then, then one said as a duration ("for 3 weeks") over a point in time,
            # then the longest.
            about_pain = bool(pain.search(around)) or about_it(sentence) or self._terse(span)
            candidate = (about_pain, tells_onset(around), strong, *parsed, span)
            if best is None or candidate[:5] > best[:5]:
                best = candidate
        out = []
        if history is not None:
            out.append(
                self._mention("history_of_low_back_pain", True, history, ("historical",), False)
            )
        if best is None:
            return out
        _, _, _, low, high, span = best
        return out + [
            self._mention(fid, value, span, ("duration",), False)
            for fid, value in threshold_answers("duration", low, high)
        ]

    def _clause_text(self, span: RawSpan) -> str:
        """The span's sentence from the clause before it to the end ("I had a bad back about 8
        years ago which cleared up"), not reaching back past a semicolon or a full stop."""
        sentence_start = span.sent_start
        cut = max(self.norm.rfind(";", sentence_start, span.start), sentence_start - 1) + 1
        end = self.norm.find(";", span.end, span.sent_end)
        return self.norm[cut : end if end >= 0 else span.sent_end]

    def _terse(self, span: RawSpan) -> bool:
        """True when the sentence is little more than the duration ("3 wks.", "4 months.")."""
        sentence = self.norm[span.sent_start : span.sent_end]
        rest = (
            sentence[: span.start - span.sent_start] + " " + sentence[span.end - span.sent_start :]
        )
        words = re.findall(r"[a-z']+", rest.lower())
        return len(words) <= int(extractor_tables()["duration"]["short_sentence_words"])

    def _story_around(self, span: RawSpan) -> str:
        """The span's sentence, and the next one when it carries on ("Since then ..."); a reply
        to a quoted question also takes the question ("> when did it start? / 3 weeks ago")."""
        sentence = self.norm[span.sent_start : span.sent_end]
        i = self._sentence_index(span)
        if i > 0:
            s, e = self.sentences[i - 1]
            if self.norm[s:e].lstrip().startswith(">"):
                sentence = self.norm[s:e] + " " + sentence
        if 0 <= i < len(self.sentences) - 1:
            s, e = self.sentences[i + 1]
            if continues_story(self.norm[s:e], sentence):
                return sentence + " " + self.norm[s:e]
        return sentence

    def _anchored(self, span: RawSpan) -> bool:
        if self._terse(span) or duration_anchored(self._story_around(span)):
            return True
        i = self._sentence_index(span)
        if i in self._symptom_sentences:
            return True
        if 0 <= i < len(self.sentences) - 1 and i + 1 in self._symptom_sentences:
            s, e = self.sentences[i + 1]
            return continues_story(self.norm[s:e], self.norm[span.sent_start : span.sent_end])
        return False

    def _sentences_with_symptoms(self, told: Sequence[Mention]) -> set[int]:
        """Indices of the sentences in which a symptom of the person's was read as present."""
        categories = findings().categories
        out: set[int] = set()
        for m in told:
            if not (m.present and m.is_answer) or categories.get(m.id) not in SYMPTOM_CATEGORIES:
                continue
            if m.id.startswith("duration_") or m.id in _DATED_APART:
                continue
            start, _ = self._norm_span(m)
            i = bisect_right(self._starts, start) - 1
            if i >= 0:
                out.add(i)
        return out

    # ------------------------------------------------------------------ ages
    def age_mentions(self, spans: list[RawSpan]) -> list[Mention]:
        kinds = {p.label: p.kind for p in _age_patterns()}
        exact: list[tuple[float, float, RawSpan]] = []
        ranges: list[tuple[float, float, RawSpan]] = []
        for span in spans:
            if span.kinds & {"family", "someone_else"}:
                continue
            if kinds[span.label] == "proxy":
                # A relative's age counts only in a story about that relative.
                words = self.norm[span.start : span.end]
                if self.subject is None or not self.subject.names.search(words):
                    continue
            else:
                before = self.norm[span.sent_start : span.start]
                after = self.norm[span.end : span.sent_end]
                # "My mother she is 79" (she -> I): the subject's own age in a relative's story
                theirs = self.subject is not None and self.subject.names.search(before[-25:])
                if age_excluded(before, after) and not theirs:
                    continue
            parsed = parse_age(span.label, self.norm, span.start, span.end)
            if parsed is None:
                continue
            target = exact if parsed[0] == parsed[1] else ranges
            target.append((parsed[0], parsed[1], span))
        chosen = exact or ranges
        if not chosen:
            found = lone_age(self.norm)
            if found is not None:
                n, start, end = found
                span = RawSpan("x_age_lone", start, end, start, end, frozenset())
                chosen = [(n, n, span)]
        if not chosen or len({(lo, hi) for lo, hi, _ in chosen}) > 1:
            return []  # none, or ages that disagree: leave it to the questions
        low, high, span = chosen[0]
        return [
            self._mention(fid, value, span, ("age",), False)
            for fid, value in threshold_answers("age", low, high)
        ]

    # ------------------------------------------------------------------ proxy stories
    def subject_mentions(self) -> list[Mention]:
        """The sex the relative's word gives ("my dad": not female)."""
        subject = self.subject
        if subject is None or subject.sex is None:
            return []
        found = subject.names.search(self.norm)
        if found is None:
            return []
        span = RawSpan("x_proxy", found.start(), found.end(), 0, 0, frozenset())
        return [self._mention("sex_female", subject.sex == "female", span, ("proxy",), False)]

    # ------------------------------------------------------------------ quoted questions
    def answered_quotes(self, mentions: list[Mention]) -> list[Mention]:
        """Mentions inside a quoted line ("> Any numbness down there?") are the question, not
        the person's words: the reply's first word answers them ("No, nothing like that" is a
        no, "Yes" a yes); otherwise they are not about the person (context `quoted`)."""
        quotes = [
            (
                q.start(),
                q.end(),
                reply.group(1) if (reply := _REPLY.match(self.norm, q.end())) else "",
            )
            for q in _QUOTED.finditer(self.norm)
        ]
        # A quote answered by nothing is the writer's own text set off with ">", not a question.
        quotes = [q for q in quotes if q[2].strip()]
        if not quotes:
            return mentions
        out = []
        for m in mentions:
            start, _ = self._norm_span(m)
            quote = next((q for q in quotes if q[0] <= start < q[1]), None)
            if quote is None:
                out.append(m)
                continue
            said, uncertain = quote[2], m.uncertain
            if _REPLY_NO.match(said):  # "No, nothing like that": a clear no to each
                value, context, uncertain = False, (*m.context, "quoted", "negated"), False
            elif _REPLY_YES.match(said):
                value, context = m.present, (*m.context, "quoted")
            else:
                value, context = False, (*m.context, "quoted", "hypothetical")
            out.append(Mention(m.id, value, m.text, m.start, m.end, context, uncertain))
        return out

    # ------------------------------------------------------------------ exceptions
    def exceptions(self, mentions: list[Mention]) -> list[Mention]:
        """A general no followed, in its sentence, by an exception to it that is read as a yes
        of the same finding ("nothing down the legs apart from an ache in the back of my
        thigh"): the exception stands and the general no goes."""
        yes_ids = {m.id for m in mentions if m.present and m.is_answer}
        no_ids = {m.id for m in mentions if not m.present and m.is_answer}
        both = yes_ids & no_ids
        if not both:  # the usual case: nothing to weigh, and no spans to map back
            return mentions
        # each mention's place in the read text, mapped once (the map is a scan of the text)
        spans = {i: self._norm_span(m) for i, m in enumerate(mentions) if m.id in both}
        dropped: set[int] = set()
        for i, no in enumerate(mentions):
            if no.id not in both or no.present or not no.is_answer:
                continue
            no_end = spans[i][1]
            for j, yes in enumerate(mentions):
                if yes.id != no.id or not (yes.present and yes.is_answer):
                    continue
                yes_start = spans[j][0]
                between = self.norm[no_end:yes_start]
                if (
                    yes_start > no_end
                    and _EXCEPTION.search(between)
                    and not _ONE_SENTENCE_BREAK.search(between)
                ):
                    dropped.add(i)
                    break
        return [m for i, m in enumerate(mentions) if i not in dropped]

    # ------------------------------------------------------------------ answered lists
    def field_answers(self, mentions: list[Mention]) -> list[Mention]:
        """Answers written right after the words read. A vague mention answered yes as a form
        field ("Weight loss - yes, about 5 kg", "Night pain: yes") is a definite yes; a mention
        answered no in brackets or after a dash ("any night sweats (no)", "trouble with my
        waterworks or numbness in the saddle area - no and no", a doctor's questions reported
        with the answers) is a no."""
        out = []
        for m in mentions:
            # a question someone put (read as hypothetical) answered no is a denial too
            asked = m.present or "hypothetical" in m.context
            if asked and "negated" not in m.context:
                _, end = self._norm_span(m)
                if m.uncertain and "vague" in m.context and _FIELD_YES.match(self.norm, end):
                    context = tuple(k for k in m.context if k != "vague")
                    m = replace(m, uncertain=False, context=(*context, "field"))
                elif _FIELD_NO.match(self.norm, end):
                    dropped = ("vague", "net", "hypothetical")
                    context = tuple(k for k in m.context if k not in dropped)
                    m = replace(m, present=False, uncertain=False, context=(*context, "field"))
            out.append(m)
        return out

    def answered_lists(self, mentions: list[Mention]) -> list[Mention]:
        """Questions answered in the next sentence. Questions someone else asked (hypothetical
        mentions) become a no when it answers no to them all ("... went through a list:
        numbness, fever. I said no to all of it."); the writer's own question becomes a no when
        it starts with a plain no ("Night pain that won't settle? No, ..."), and uncertain when
        it is unsure or when the question asks about the writer ("Is my leg weaker?") with no
        yes after it."""
        answered: set[int] = set()  # sentences whose questions were all answered no
        asked_no: set[int] = set()  # questions the writer asked and answered no
        asked_unsure: set[int] = set()  # questions the writer asked and is unsure of
        for i, (start, end) in enumerate(self.sentences):
            after = self.sentences[i + 1] if i + 1 < len(self.sentences) else (end, end)
            if _ANSWER_ALL_NO.match(self.norm, *after):
                answered.add(i)
            if not _QUESTION_END.search(self.norm, start, end):
                continue
            label = _SPEAKER.match(self.norm, *after)
            reply = (label.end() if label else after[0], after[1])
            if _ANSWER_NO.match(self.norm, *after) or _ANSWER_NO.match(self.norm, *reply):
                asked_no.add(i)
            elif _ASKED.match(self.norm, start, end) and not _FIRST_PERSON.search(
                self.norm, start, end
            ):
                # a question put to someone: a no (or a denial) answers it, a yes keeps it,
                # and unanswered or unsure it is asked, never a yes
                if _ANSWER_UNSURE.match(self.norm, *reply):
                    asked_unsure.add(i)
                elif _DENIES.match(self.norm, *reply):
                    asked_no.add(i)
                elif not _REPLY_YES.match(self.norm, *reply):
                    asked_unsure.add(i)
            elif _ANSWER_UNSURE.match(self.norm, *after) or (
                _SELF_QUESTION.match(self.norm, start, end)
                and not _REPLY_YES.match(self.norm, *after)
            ):
                asked_unsure.add(i)
        if not (answered or asked_no or asked_unsure):
            return mentions
        out = []
        for m in mentions:
            start, end = self._norm_span(m)
            i = bisect_right(self._starts, start) - 1
            if ("hypothetical" in m.context and i in answered) or (m.present and i in asked_no):
                context = (*(c for c in m.context if c != "hypothetical"), "negated")
                m = Mention(m.id, False, m.text, m.start, m.end, context, False)
            elif m.present and i in asked_unsure and m.is_answer:
                m = Mention(m.id, False, m.text, m.start, m.end, (*m.context, "asked"), True)
            out.append(m)
        return out

    # ------------------------------------------------------------------ both legs
    def _clause(self, start: int, end: int) -> tuple[int, int]:
        s, e = next(((a, b) for a, b in self.sentences if a <= start < b), (0, len(self.norm)))
        left = max(self.norm.rfind(c, s, start) for c in ",;") + 1
        rights = [i for c in ",;" if (i := self.norm.find(c, end, e)) >= 0]
        return max(s, left), min(rights, default=e)

    def side_of(self, mention: Mention, words_only: bool) -> str | None:
        """ "left" or "right" for a leg mention, from the side word nearest to it."""
        rule = both_legs_rule()
        start, end = self._norm_span(mention)
        lo, hi = (start, end) if words_only else self._clause(start, end)
        if not rule.leg.search(self.norm, lo, hi):
            return None
        best: tuple[int, str] | None = None
        for side, rx in (("left", rule.left), ("right", rule.right)):
            # searched from `lo` to the end, so a side word's look-ahead ("right down to the
            # ankle" is not the right side) sees past the mention's own words
            for m in rx.finditer(self.norm, lo):
                if m.end() > hi:
                    break
                if _COMPARED.search(self.lowered, max(lo, m.start() - 30), m.start()):
                    continue  # "the way I can on the right": the side it is compared with
                distance = max(m.start() - end, start - m.end(), 0)
                if best is None or distance < best[0]:
                    best = (distance, side)
        return best[1] if best else None

    def _norm_span(self, mention: Mention) -> tuple[int, int]:
        if self.offsets is None:
            return mention.start, mention.end
        start = self.offsets.index(mention.start)
        end = max(i for i, o in enumerate(self.offsets) if o == mention.end - 1) + 1
        return start, end

    def both_legs_mentions(self, mentions: list[Mention]) -> list[Mention]:
        """Leg symptoms read on the left and on the right, anywhere in the story."""
        rule = both_legs_rule()
        seen: dict[str, Mention] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            words_only = m.id in rule.words_only
            if not (m.id in rule.sources or words_only) or not (m.present and m.is_answer):
                continue
            side = self.side_of(m, words_only)
            if side is None or side in seen:
                continue
            seen[side] = m
            if len(seen) == 2:
                return [Mention(rule.finding, True, m.text, m.start, m.end, ("implied",))]
        return []


def read_story(text: str, *, today: date | None = None) -> StoryReading:
    """Read a story into mentions of findings. The pipeline is built once per process and
    nothing is downloaded. `today` dates phrases like "since August" (default: today).

    The story is cleaned first (reader/clean.py); mentions quote the story as given, with
    invalid bytes shown as U+FFFD. Up to MAX_CHARS characters are read; the rest is named in
    a message."""
    if not isinstance(text, str):
        raise TypeError(f"a story must be text, not {type(text).__name__}")
    text, unread = _truncate(without_bad_bytes(text))
    messages = []
    if unread:
        rest = " ".join(unread.split()[:8])
        messages.append(MSG_TRUNCATED.format(n=MAX_CHARS, rest=rest))
    truncated = bool(unread)
    if not text.strip():
        return StoryReading(text, (), (*messages, MSG_EMPTY), truncated)
    norm, offsets = clean(text)
    subject = find_subject(norm)
    if subject is not None:
        norm, proxy_offsets = rewrite(norm, subject)
        offsets = compose(offsets, proxy_offsets)
        messages.append(MSG_PROXY.format(word=subject.word))
    sentences, spans = run(norm, subject.names if subject else None)
    reader = _Reader(text, norm, today or date.today(), subject, offsets)
    reader.set_sentences(sentences)
    mentions: list[Mention] = []
    durations = [s for s in spans if s.label.startswith("x_duration")]
    ages = [s for s in spans if s.label.startswith("x_age")]
    targets = [s for s in spans if not s.label.startswith("x_") and reader.accepts(s)]
    # the safety net competes only with itself: a long net match never hides a rule's match
    rules = [s for s in targets if not reader.groups[s.label].net]
    net = [s for s in targets if reader.groups[s.label].net]
    for span in [
        *_longest_per_finding(rules, reader.groups),
        *_longest_per_finding(net, reader.groups),
    ]:
        mentions += reader.group_mentions(reader.groups[span.label], span)
    aged = reader.age_mentions(ages)
    if aged:  # an age the person gives wins over age words ("since I was a teenager")
        told = {m.id for m in aged}
        mentions = [m for m in mentions if m.id not in told]
    mentions += aged
    mentions += reader.duration_mentions(durations, mentions)
    mentions += reader.subject_mentions()
    mentions += reader.both_legs_mentions(mentions)
    mentions = reader.exceptions(mentions)
    mentions = reader.field_answers(mentions)
    mentions = reader.answered_quotes(mentions)
    mentions = reader.answered_lists(mentions)
    # the net asks only about warning signs that no rule read, in any context
    ruled = {m.id for m in mentions if "net" not in m.context}
    mentions = [m for m in mentions if "net" not in m.context or m.id not in ruled]
    mentions.sort(key=lambda m: (m.start, m.end, m.id))
    if not mentions:
        messages.append(MSG_NOTHING)
    return StoryReading(text, tuple(mentions), tuple(messages), truncated)
