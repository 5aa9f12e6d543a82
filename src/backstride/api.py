"""The public Python API: one way in for the CLI, the evaluation and (later) the web app.

>>> from backstride import start_interview
>>> interview = start_interview("sore low back after hill repeats, no leg pain")
>>> question = interview.next_question()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from backstride.engine.assessment import Assessment, assess
from backstride.engine.evidence import Evidence
from backstride.engine.interview import Interview
from backstride.kb import KnowledgeBase, default_knowledge_base


def read_story_evidence(text: str) -> tuple[Evidence, tuple[str, ...]]:
    """Evidence read from a story, and the findings it mentioned only uncertainly."""
    from backstride.reader import read_story  # loads the NLP pipeline: only when a story is read

    reading = read_story(text)
    return reading.evidence(), reading.uncertain_ids()


StoryReader = Callable[[str], tuple[Evidence, tuple[str, ...]]]


def story_assessment(
    story: str,
    facts: Mapping[str, bool] | None = None,
    kb: KnowledgeBase | None = None,
    *,
    read: StoryReader = read_story_evidence,
) -> Assessment:
    """The result from a story and any known answers, asking nothing.

    This is what `backstride check --story` runs and what `backstride eval --mode story`
    measures: one path, so the evaluation scores what people get. Known answers override the
    story's; answers that clash keep the graver reading.
    """
    story_ev, _ = read(story) if story.strip() else (Evidence(), ())
    return assess(story_ev.merged(Evidence(dict(facts or {}))), kb)


def start_interview(
    story: str = "", kb: KnowledgeBase | None = None, *, story_evidence: Evidence | None = None
) -> Interview:
    """An Interview seeded from a story (read with the free-text reader) or from given evidence."""
    kb = kb or default_knowledge_base()
    uncertain: tuple[str, ...] = ()
    if story_evidence is None:
        story_evidence, uncertain = (
            read_story_evidence(story) if story.strip() else (Evidence(), ())
        )
    return Interview(kb, story_evidence, uncertain)


__all__ = [
    "Assessment",
    "Evidence",
    "Interview",
    "assess",
    "read_story_evidence",
    "start_interview",
    "story_assessment",
]
