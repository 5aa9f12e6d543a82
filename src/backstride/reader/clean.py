"""Input hygiene: the text the rules read, with a map back to the person's own characters.

People paste stories from terminals, phones and web pages. Before any rule runs, the text is
normalised so that the same words always look the same:

- invalid bytes (decoded with `surrogateescape`, or lone surrogates) become U+FFFD;
- terminal colour and control sequences ("\\x1b[31m", and the bare "[31m" left when the escape
  character was lost in a copy) are removed, so "31m" is never read as "male, 31";
- other control characters become spaces, except line breaks and tabs;
- zero-width characters and soft hyphens are removed;
- every character is put in Unicode NFKC form (full-width letters, ligatures, superscripts);
- curly quotes, primes and backticks become straight quotes, no-break spaces plain spaces;
- markdown emphasis ("**Age:** 45") is removed;
- a few emoji that stand for a word (a pile of poo, a face with a thermometer) become the word.

Pure functions. `clean` returns the new text and, when it differs in length, the offset in the
original of each of its characters (and one past its end), so every mention still quotes the
person's own words at their own place.
"""

from __future__ import annotations

import re
import unicodedata

# Same-length replacements applied after NFKC.
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
# ESC-introduced sequences: CSI ("\x1b[31m", "\x1b[2K"), OSC (titles, links) and two-byte ones.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
# The same colour codes after the escape character was lost ("[31m", "[0m", "[1;32m"): removed
# only when the text also holds a reset code "[0m" or "[m", which no one types by hand.
_BARE_SGR = re.compile(r"\[(?:\d{1,3}(?:;\d{1,3})*)?m")
_BARE_RESET = re.compile(r"\[0?m")
# Markdown emphasis pasted from a forum or a chat ("**Age:** 45", "__worse sitting__").
_EMPHASIS = re.compile(r"\*\*+|__+")
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_KEEP_CONTROL = frozenset("\n\t\r")


# A quotation mark at the edge of a word ("feels numb 'down there'", "my 'little friend'"): gone,
# so the words read as if unquoted; an apostrophe inside a word ("it's") stays.
_QUOTE_MARK = re.compile(r"""(?:(?<=[\s(\[])|^)['"](?=\w)|(?<=\w)['"](?=[\s.,;:!?)\]]|$)""")


def _removed_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _ESCAPES.finditer(text)]
    spans += [m.span() for m in _EMPHASIS.finditer(text)]
    spans += [m.span() for m in _QUOTE_MARK.finditer(text)]
    if _BARE_RESET.search(text):
        spans += [m.span() for m in _BARE_SGR.finditer(text)]
    return sorted(spans)


# Emoji that people type for a word: read as that word (the face with a thermometer is a fever,
# the pile of poo is a bowel motion). A space before it keeps it a word of its own.
_EMOJI_WORDS = {
    "\U0001f4a9": " poo",
    "\U0001f351": " bum",
    "\U0001f912": " fever",
    "\U0001f92e": " vomiting",
    "\U0001f922": " nausea",
}


def _char(ch: str) -> str:
    if ch in _EMOJI_WORDS:
        return _EMOJI_WORDS[ch]
    if 0xD800 <= ord(ch) <= 0xDFFF:  # a raw byte kept by surrogateescape, or a lone surrogate
        return "\ufffd"
    if ch in _DROP:
        return ""
    if ch in _KEEP_CONTROL:
        return ch
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return " "
    if ch.isascii():
        return ch
    return unicodedata.normalize("NFKC", ch).translate(_QUOTES)


_PLAIN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f`\[]|\*\*|__")


def without_bad_bytes(text: str) -> str:
    """The text with each invalid byte or lone surrogate replaced by U+FFFD (same length)."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"[ \t|:-]+")


def _table_rows(text: str) -> str:
    """A markdown table read as fields: "| Fever | no |" becomes " Fever : no ." (the same
    length, so every offset holds), and its "|---|---|" rule becomes blank."""

    def row(m: re.Match[str]) -> str:
        line = m.group(0)
        if _TABLE_RULE.fullmatch(line):
            return " " * len(line)
        first, last = line.index("|"), line.rindex("|")
        inner = line[first + 1 : last].replace("|", ":")
        return f"{line[:first]} {inner}.{line[last + 1 :]}"

    return _TABLE_ROW.sub(row, text) if "|" in text else text


# Contractions typed without the apostrophe ("doesnt", "shes 58", "havent"), so negation and
# the rules see one spelling. Only words that are not English words without it ("cant", "wont"
# are, but rarely in a story; "ill", "id", "its", "were", "well", "hell" are left alone).
_CONTRACTIONS = {
    w.replace("'", ""): w
    for w in (
        *("doesn't", "don't", "didn't", "can't", "won't", "isn't", "wasn't", "aren't"),
        *("weren't", "haven't", "hasn't", "hadn't", "couldn't", "wouldn't", "shouldn't"),
        *("mustn't", "needn't", "ain't", "she's", "he's", "that's", "there's", "what's"),
        *("who's", "it'll", "i've", "you're", "they're", "we've", "they've", "you've"),
    )
}
_BARE_CONTRACTION = re.compile(
    r"(?i)\b(" + "|".join(sorted(_CONTRACTIONS, key=len, reverse=True)) + r")\b(?!')"
)


def _with_apostrophes(text: str) -> tuple[str, list[int] | None]:
    """`text` with each bare contraction given its apostrophe, and the offsets of the result in
    `text` (the apostrophe takes the place of the letter after it)."""
    if not _BARE_CONTRACTION.search(text):
        return text, None
    out: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in _BARE_CONTRACTION.finditer(text):
        out.append(text[last : m.start()])
        offsets += range(last, m.start())
        word = m.group(0)
        full = _CONTRACTIONS[word.lower()]
        cut = full.index("'")
        out.append(word[:cut] + "'" + word[cut:])
        offsets += [*range(m.start(), m.start() + cut), m.start() + cut]
        offsets += range(m.start() + cut, m.end())
        last = m.end()
    out.append(text[last:])
    offsets += range(last, len(text) + 1)
    return "".join(out), offsets


def clean(text: str) -> tuple[str, list[int] | None]:
    """The normalised text, and the original offset of each of its characters plus one past
    its end (None when every character kept its place, so offsets are unchanged)."""
    text, offsets = _clean_characters(text)
    restored, added = _with_apostrophes(text)
    return restored, compose(offsets, added)


def _clean_characters(text: str) -> tuple[str, list[int] | None]:
    text = _table_rows(text)
    quoted = _QUOTE_MARK.search(text) is not None
    if text.isascii() and not _PLAIN.search(text) and not quoted:
        return text, None
    removed = (
        _removed_spans(text)
        if ("\x1b" in text or "[" in text or "**" in text or "__" in text or quoted)
        else []
    )
    out: list[str] = []
    offsets: list[int] = []
    cut = 0
    for i, ch in enumerate(text):
        while cut < len(removed) and removed[cut][1] <= i:
            cut += 1
        if cut < len(removed) and removed[cut][0] <= i:
            continue
        new = _char(ch)
        out.append(new)
        offsets += [i] * len(new)
    offsets.append(len(text))
    new_text = "".join(out)
    if len(offsets) == len(text) + 1 and all(o == i for i, o in enumerate(offsets)):
        return new_text, None
    return new_text, offsets


def compose(first: list[int] | None, second: list[int] | None) -> list[int] | None:
    """Offsets through two steps: `second` maps into the output of the step `first` maps from."""
    if first is None:
        return second
    if second is None:
        return first
    return [first[i] for i in second]
