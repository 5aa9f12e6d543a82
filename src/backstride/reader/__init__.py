"""The free-text reader: findings from a person's own story, built on medspaCy.

`read_story(text)` returns a StoryReading: each Mention of a finding with its exact words,
character span and context (negated, uncertain, hypothetical, historical, family...), and
`StoryReading.evidence()` turns them into story answers for the interview. The rules are data
in `backstride/reader/rules/`; see docs/reader.md.
"""

from backstride.reader.model import Mention, StoryReading
from backstride.reader.story import MAX_CHARS, read_story

__all__ = ["MAX_CHARS", "Mention", "StoryReading", "read_story"]
