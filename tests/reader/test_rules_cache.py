"""The rules cache (reader/rules.py): keywords never hide a match, the cache is written once
per set of rules files and used by the next start, and a broken cache is ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from backstride.reader import rules

ROOT = Path(__file__).resolve().parents[2]


def _corpus() -> str:
    texts = []
    for path in sorted([*ROOT.glob("tests/reader/*.jsonl"), *ROOT.glob("tests/vignettes/*.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("//"):
                item = json.loads(line)
                texts.append(str(item.get("text") or item.get("story") or ""))
    return "\n".join(texts)


def test_keywords_never_hide_a_match() -> None:
    from backstride.reader.pipeline import pipeline

    pipeline()
    text = _corpus()
    lowered = text.translate(rules.LOWER_ASCII)
    patterns = list(rules._PATTERNS)
    assert len(patterns) > 1000
    filtered = 0
    for pattern in patterns:
        words = rules.required_words(pattern)
        filtered += words is not None
        plain = rules.FastPattern(pattern).spans(text, lowered)
        assert rules.FastPattern(pattern, words).spans(text, lowered) == plain, pattern
    assert filtered > 0.9 * len(patterns)


def test_required_words_of_simple_patterns() -> None:
    assert rules.required_words("numb(ness)? in my (groin|crotch)") == ("crotch", "groin")
    # two sets with words as long: the smaller set is the rarer test
    assert rules.required_words("(pain|ache)s? down") == ("down",)
    assert rules.required_words("(sore|hurt|ache|pain) (back|spine)") == ("back", "spine")
    assert rules.required_words("(a|b)") is None
    assert rules.required_words("(?-i:AS)") is None


def _read(cache: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "from backstride.reader import read_story;"
        "print(sorted(read_story('No fever. Numb in my groin since Monday, 52M.').evidence()"
        ".as_dict().items()))"
    )
    env = {**os.environ, "BACKSTRIDE_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


def test_the_cache_is_written_once_and_used_after(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _read(cache)
    files = list(cache.glob("reader-rules-*.json"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    second = _read(cache)
    assert second.stdout == first.stdout
    assert "('saddle_numbness', True)" in first.stdout
    assert files[0].stat().st_mtime_ns == stamp  # used, not written again


def test_a_broken_cache_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    good = _read(cache).stdout
    (file,) = cache.glob("reader-rules-*.json")
    file.write_text("{not json", encoding="utf-8")
    assert _read(cache).stdout == good


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x", encoding="utf-8")
    assert "saddle_numbness" in _read(blocker / "cache").stdout
