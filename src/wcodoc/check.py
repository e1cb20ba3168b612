"""Check a project without building it: every error a build would hit, and style warnings.

:func:`check_project` loads the project and runs the build's own assembly (parse, number,
annex, cover, resolve, the Word template of :mod:`wcodoc.render.docx.templatecheck` and the lint
of :mod:`wcodoc.transform.lint`) with no file written, so ``wcodoc build`` and ``wcodoc check``
agree on what is wrong. An error raised on the way is reported under its own code (``yaml``,
``meta``), else as ``load``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wcodoc.build import assemble
from wcodoc.errors import Problem, Problems, Severity, WcodocError
from wcodoc.load.project import load_project

LOAD_CODE = "load"
"""The code of an error raised without one of its own (a folder that is no project, pandoc)."""


def check_project(path: Path | str = ".", strict: bool = False) -> list[Problem]:
    """Every problem a build of ``path`` would meet, without writing any file.

    Errors come first, then warnings, each group in file and line order. With ``strict``,
    warnings are returned as errors (the CLI then fails on them).
    """

    problems = Problems()
    try:
        project = load_project(path, problems)  # metadata mistakes do not hide the body's
        assemble(project, use_cache=False, problems=problems)  # the Word template too
    except WcodocError as exc:
        _absorb(problems, exc)
    found = sorted(_unique(problems), key=Problem.sort_key)
    if strict:
        found = [_as_error(p) for p in found]
    return found


def _absorb(problems: Problems, error: WcodocError) -> None:
    if error.problems:
        problems.extend(p for p in error.problems if p not in problems)
    else:
        problems.error(error.message, error.path, error.line, code=error.code or LOAD_CODE)


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    seen: dict[Problem, None] = {}
    for problem in problems:
        seen.setdefault(problem, None)
    return list(seen)


def _as_error(problem: Problem) -> Problem:
    if problem.is_error:
        return problem
    return Problem(problem.message, problem.path, problem.line, problem.code, Severity.ERROR)
