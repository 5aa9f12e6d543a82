"""The packaged data files (YAML): each parsed once per process, with the C loader when present.

Every loader of packaged YAML (knowledge base, exercise library, plan rules, reader rules) reads
through :func:`read_yaml`. The parsed data is shared between callers, so nobody may change it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from backstride.errors import KnowledgeBaseError

# libyaml's loader parses our data files about ten times faster than the pure-Python one.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _parse(path: Path, mtime_ns: int, size: int) -> Any:
    # Keyed on the file's modification time and size as well, so a file rewritten during the
    # process (tests do this) is read again rather than served stale.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def read_yaml(path: Path, display: str | None = None) -> Any:
    """The parsed content of one YAML file; KnowledgeBaseError names the file and the line.

    ``display`` is the file's name in messages (default: the file name). Do not modify the
    result: the same object is returned to every caller.
    """
    name = display or path.name
    try:
        stat = path.stat()
        return _parse(path.resolve(), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise KnowledgeBaseError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(
            name, None, None, f"not UTF-8 text (byte offset {exc.start})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise KnowledgeBaseError(name, None, None, f"not valid YAML{where}") from None


def parse_count() -> int:
    """How many times a YAML file has been parsed in this process (for the once-only test)."""
    return _parse.cache_info().misses
