"""Reader speed: reading a ~150-word story with all our rules, against the same medspaCy
pipeline with no rules (medspaCy's tokenizer, the sentencizer, an empty TargetMatcher and ConText
with no rules) as baseline. medspaCy's default pipeline (with its PyRuSH sentence splitter) and
no rules is timed as a second reference.

Run with `make bench`. Target (issue 3): under 20 ms a story.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from backstride.reader import read_story
from backstride.reader.pipeline import bare_pipeline, pipeline, quiet_pyrush

STORY = (
    "Hi all, long time lurker. I'm a 42 year old dad of two and I've been running for about six "
    "years, mostly half marathons. About three weeks ago I bumped my mileage up for a spring "
    "marathon and now I've got this deep ache in my right butt cheek that sometimes goes down "
    "the back of my thigh, but not past the knee. It's worse when I sit at my desk all day and "
    "when I get up after sitting, and hills make it worse too. No numbness or tingling, no "
    "problems peeing, and I haven't had any fever or weight loss. Ibuprofen helps a bit but "
    "not much. Stretching my hamstring with a bent knee brings it on. My dad has ankylosing "
    "spondylitis, so I'm a bit worried. I'm not sure if my foot is weak. If it gets worse I'll "
    "see a physio. Any advice on whether I should keep running? Thanks!"
)
TODAY = date(2025, 3, 15)
GROUP = "reader: 150-word story"


def test_story_is_about_150_words() -> None:
    assert 140 <= len(STORY.split()) <= 170


@pytest.mark.filterwarnings("ignore:.*W036")  # spaCy: "the Matcher has no patterns" (none here)
@pytest.mark.benchmark(group=GROUP)
def test_baseline_same_pipeline_no_rules(benchmark: Any) -> None:
    nlp = bare_pipeline()
    doc = benchmark(nlp, STORY)
    assert len(doc) > 150


@pytest.mark.filterwarnings("ignore:.*W036")
@pytest.mark.benchmark(group=GROUP)
def test_medspacy_default_pyrush_no_rules(benchmark: Any) -> None:
    import medspacy
    import spacy

    quiet_pyrush()
    nlp = medspacy.load(spacy.blank("en"), load_rules=False)
    doc = benchmark(nlp, STORY)
    assert len(doc) > 150


@pytest.mark.benchmark(group=GROUP)
def test_read_story(benchmark: Any) -> None:
    pipeline()  # built once per process, outside the timing
    reading = benchmark(read_story, STORY, today=TODAY)
    evidence = reading.evidence()
    assert evidence["pain_buttock"].value is True
    assert evidence["family_history_spondyloarthritis"].value is True
    assert "leg_weakness" in reading.uncertain_ids()


# ---------------------------------------------------------------- cold start (issue 9)
# A fresh Python process each round: a bare `spacy.blank("en")` start (the baseline) against
# the reader's start (import, build every rule, read one story), and `backstride read` itself.
# Target (issue 9): the reader within 1.6x of the baseline's time.
COLD = "reader: cold start"
_BLANK = "import spacy; spacy.blank('en')('sore low back')"
_READER = "from backstride.reader import read_story; read_story('sore low back, no fever')"


def _python(code: str) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.mark.benchmark(group=COLD)
def test_cold_baseline_spacy_blank(benchmark: Any) -> None:
    benchmark.pedantic(_python, args=(_BLANK,), rounds=5, iterations=1)


@pytest.mark.benchmark(group=COLD)
def test_cold_reader_start_and_first_read(benchmark: Any) -> None:
    benchmark.pedantic(_python, args=(_READER,), rounds=5, iterations=1)


@pytest.mark.benchmark(group=COLD)
def test_cold_backstride_read_command(benchmark: Any) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = shutil.which("backstride", path=str(Path(sys.executable).parent)) or "backstride"
    benchmark.pedantic(
        subprocess.run,
        args=([exe, "read", "sore low back, no fever", "--json"],),
        kwargs={"check": True, "capture_output": True},
        rounds=5,
        iterations=1,
    )
