"""The knowledge base: medical content as validated data, compiled for the engine."""

from __future__ import annotations

from functools import cache

from backstride.kb.compiled import KnowledgeBase
from backstride.kb.loader import DATA_DIR, load_knowledge_base

__all__ = ["DATA_DIR", "KnowledgeBase", "default_knowledge_base", "load_knowledge_base"]


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return load_knowledge_base()
