"""Errors that reach a person: each carries a plain message that names what was wrong."""

from __future__ import annotations


class BackstrideError(Exception):
    """Base class for every error that the CLI, web or API shows as a plain message."""


class KnowledgeBaseError(BackstrideError):
    """A knowledge-base file is missing, malformed or inconsistent."""

    def __init__(self, file: str, entry: str | None, field: str | None, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        where = file
        if entry:
            where += f", entry '{entry}'"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


class EvidenceError(BackstrideError):
    """Answers that name unknown findings or contradict each other."""


class InputError(BackstrideError):
    """A user-supplied file or value could not be read."""
