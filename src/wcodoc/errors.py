"""The one exception type of wcodoc, and the problems a check collects.

Library code raises :class:`WcodocError` (or collects :class:`Problem` objects and raises
:class:`WcodocError` from them); the CLI turns it into one line ``path:line: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


def _where(path: Path | str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}: " if line else f"{path}: "


class WcodocError(Exception):
    """A mistake in the user's input or environment that the user can act on.

    The CLI shows ``path`` relative to the working folder (``fsutil.shown_path``); ``line`` is
    1-based.
    ``problems`` carries every problem when several were found in one run.
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        *,
        problems: tuple[Problem, ...] = (),
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.problems = problems
        self.code = code
        """The short code of the problem (``yaml``, ``meta``) where the raiser knows it; a
        check that absorbs the error reports it under that code."""
        self.exit_code = 1
        """Exit status the CLI uses (``diff`` sets 2, following diff's convention)."""

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return f"{_where(self.path, self.line)}{self.message}"

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> WcodocError:
        """One error that reports every problem (errors first, in source order)."""
        problems = tuple(sorted(problems, key=Problem.sort_key))
        first = problems[0]
        return cls(first.message, first.path, first.line, problems=problems)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding of a validation: where, what, how bad, and a short code (``[xref]``)."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    code: str = "error"
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{_where(self.path, self.line)}{self.message} [{self.code}]"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (not self.is_error, str(self.path or ""), self.line or 0)


class Problems(list):
    """A list of :class:`Problem` with helpers to add and to raise."""

    def error(self, message: str, path=None, line=None, code: str = "error") -> None:
        self.append(Problem(message, path, line, code, Severity.ERROR))

    def warning(self, message: str, path=None, line=None, code: str = "warning") -> None:
        self.append(Problem(message, path, line, code, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]

    def raise_if_errors(self) -> None:
        """Raise one :class:`WcodocError` carrying every error found so far."""
        if self.errors:
            raise WcodocError.from_problems(self.errors)
