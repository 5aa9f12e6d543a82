"""Helpers every command shares: one-line errors with exit 2, and the machine-readable last line.

Imported by every command at start-up, so it loads only the standard library, Rich's console and
the input layer (which is standard library only too).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

from rich.console import Console

from backstride.errors import BackstrideError
from backstride.inputs import printable, shorten

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Print a one-line message naming what was wrong and exit with status 2.

    The message is cut to a few hundred characters and any undecodable bytes are escaped, so no
    input can make it long or unprintable.
    """
    line = shorten(" ".join(printable(message).split()))
    err_console.print(f"backstride: {line}", markup=False, highlight=False, soft_wrap=True)
    raise SystemExit(2)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn BackstrideError into a one-line message and exit 2, never a stack trace."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except BackstrideError as exc:
            fail(str(exc))

    return wrapper


def emit_json(obj: Any) -> None:
    """Print one JSON object as the last line of standard output (see shared/contract/cli.md)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
