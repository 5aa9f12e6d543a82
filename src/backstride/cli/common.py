"""Helpers every command shares: one-line errors with exit 2, and the machine-readable last line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

from rich.console import Console

from backstride.errors import BackstrideError, InputError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Print a one-line message naming what was wrong and exit with status 2."""
    err_console.print(f"backstride: {message}", markup=False, highlight=False, soft_wrap=True)
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


def read_json_file(path: Path, what: str, *, last_line: bool = False) -> Any:
    """Load a JSON file, or raise InputError naming the file and the problem.

    With ``last_line``, a file whose whole text is not JSON may still end with one JSON line (a
    saved copy of everything a ``--json`` command printed: its last line is the object).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {what} '{path}': {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if last_line and len(lines) > 1:
            try:
                return json.loads(lines[-1])
            except json.JSONDecodeError:
                pass
        raise InputError(
            f"{what} '{path}' is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
