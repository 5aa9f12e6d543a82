"""The one input layer: text and JSON from files, standard input and the command line.

Every command reads what a person gives it through these functions, so bad input always ends the
same way: an :class:`~backstride.errors.InputError` whose one-line message names the file (or
option) and the problem. Bytes are decoded strictly (UTF-8, or UTF-16/UTF-32/UTF-8 with a byte
order mark); JSON may not repeat a key in one object, nest deeper than :data:`MAX_DEPTH`, or use
NaN/Infinity; answers must be JSON ``true`` or ``false``; lists of bad items are shortened.

Only the standard library is imported here: the commands load this before anything heavy.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from backstride.errors import InputError

MAX_BYTES = 20_000_000  # far beyond any facts file, assessment or vignette set
MAX_DEPTH = 32  # our formats nest at most four levels
SHOW_ITEMS = 5  # bad ids named in a message before "and N more"
MAX_MESSAGE = 400  # characters of a message shown before it is cut

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: the same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# --- messages ---------------------------------------------------------------------------------


def name_some(items: Iterable[object], limit: int = SHOW_ITEMS) -> str:
    """'a, b, c' or, for a long list, 'a, b, c, d, e and 199,995 more'."""
    listed = [str(i) for i in items]
    shown = ", ".join(shorten(i, 60) for i in listed[:limit])
    rest = len(listed) - limit
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """The text cut to about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def printable(text: str) -> str:
    """The text with any undecodable bytes (lone surrogates from argv) shown as escapes."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte ("\\ud800" in JSON)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- text -------------------------------------------------------------------------------------


def decode(data: bytes, where: str, hint: str = " (save it as UTF-8)") -> str:
    """Bytes as text: UTF-8, or the encoding its byte order mark names; strict, never guessed."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        label = "UTF-8" if encoding == "utf-8" else encoding.upper().removesuffix("-SIG")
        raise InputError(
            f"{where}: not {label} text: byte 0x{bad} at offset {exc.start}{hint}"
        ) from None


def _read_limited(stream: BinaryIO, where: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{where} is larger than {MAX_BYTES // 1_000_000} MB")
    return data


def read_text(path: Path, what: str) -> str:
    """The text of a file a person named; ``what`` says which file it is ("facts file")."""
    where = f"{what} '{printable(str(path))}'"
    try:
        with path.open("rb") as stream:
            data = _read_limited(stream, where)
    except IsADirectoryError:
        raise InputError(f"{where} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {where}: {exc.strerror or exc}") from None
    return decode(data, where)


def read_stdin(what: str) -> str:
    """All of standard input as text (decoded strictly, like a file)."""
    where = f"{what} on standard input"
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text-only stream (some embedders): already decoded
        return check_text(sys.stdin.read(MAX_BYTES + 1), where)
    return decode(_read_limited(buffer, where), where, hint="")


def check_text(text: str, where: str) -> str:
    """Text from the command line or a terminal, refused if it holds bytes that are not UTF-8.

    Python keeps such bytes as lone surrogates ("sore \\udcff back"); they cannot be printed or
    saved, so the message names the first one and its byte offset instead.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = b""  # a surrogate that was never a byte: nothing to name
        decode(raw, where, hint="")  # raises, naming the byte and its offset
        raise InputError(f"{where}: not UTF-8 text") from None
    return text


def story_text(story: str | None, story_file: Path | None, option: str = "--story") -> str | None:
    """The story from ``--story TEXT``, ``--story -`` (standard input) or ``--story-file FILE``."""
    if story is not None and story_file is not None:
        raise InputError(f"give {option} or --story-file, not both")
    if story_file is not None:
        return read_text(story_file, "story file")
    if story == "-":
        return read_stdin("the story")
    return None if story is None else check_text(story, f"the story ({option})")


# --- JSON -------------------------------------------------------------------------------------


class _Refused(ValueError):
    """Raised inside the JSON parser for what the standard library would accept."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Refused(f"the key '{shorten(printable(key), 60)}' appears twice in an object")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON allows")


# A string (possessive, and ending at the text's end when unterminated, so the scan stays linear
# on any input) or a bracket.
_STRUCTURE = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def _depth(text: str) -> int:
    """How deeply arrays and objects nest (strings skipped), counted without recursion."""
    depth = deepest = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def parse_json(text: str, where: str) -> Any:
    """One JSON value; InputError names ``where``, the line and column, or the rule broken."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        raise InputError(f"{where}: arrays or objects nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except _Refused as exc:
        raise InputError(f"{where}: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4,300 digits
        reason = shorten(str(exc).split(":")[0], 80)
        raise InputError(f"{where}: not usable JSON ({reason})") from None


def read_json(path: Path, what: str, *, last_line: bool = False) -> Any:
    """A JSON file a person named, decoded and parsed by the rules above.

    With ``last_line``, a file whose whole text is not JSON may still end with one JSON line (a
    saved copy of everything a ``--json`` command printed: its last line is the object).
    """
    text = read_text(path, what)
    where = f"{what} '{printable(str(path))}'"
    try:
        return parse_json(text, where)
    except InputError:
        lines = [line for line in text.splitlines() if line.strip()]
        if last_line and len(lines) > 1:
            try:
                return parse_json(lines[-1], where)
            except InputError:
                pass
        raise


def read_json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each JSON line of a file; blank lines and // comments skipped."""
    for number, line in enumerate(read_text(path, what).splitlines(), start=1):
        text = line.strip()
        if text and not text.startswith("//"):
            yield number, parse_json(text, f"{printable(str(path))}:{number}")


# --- values -----------------------------------------------------------------------------------


def parse_answers(data: Any, where: str, known: Collection[str] | None) -> dict[str, bool]:
    """``{finding_id: true|false}`` checked: an object, known ids (when ``known`` is given) and
    JSON booleans only (1, 0, "no" and null are refused). The one check for facts files,
    vignette facts and saved assessments alike."""
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a JSON object {{finding_id: true|false}}")
    if known is not None:
        unknown = [k for k in data if k not in known]
        if unknown:
            raise InputError(
                f"{where}: unknown finding id(s): {name_some(printable(k) for k in unknown)} "
                "(`backstride findings` lists the ids)"
            )
    wrong = [f"{printable(k)} is {_as_json(v)}" for k, v in data.items() if not isinstance(v, bool)]
    if wrong:
        raise InputError(f"{where}: answers must be true or false: {name_some(wrong)}")
    return dict(data)


def _as_json(value: Any) -> str:
    return shorten(printable(json.dumps(value, ensure_ascii=False)), 20)


# --- paths ------------------------------------------------------------------------------------


def output_path(path: Path, option: str) -> Path:
    """A file to write: its folder must already exist (we never create folders)."""
    shown = printable(str(path))
    folder = path.parent
    if path.is_dir():
        raise InputError(f"{option} '{shown}' is a folder: give a file name")
    if not folder.is_dir():
        raise InputError(
            f"{option} '{shown}': the folder '{printable(str(folder))}' does not exist"
        )
    return path
