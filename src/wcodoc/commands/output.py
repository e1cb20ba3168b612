"""How the CLI shows problems: ``path:line: message``, paths relative to the working folder."""

from __future__ import annotations

from dataclasses import replace

from wcodoc.errors import Problem, WcodocError
from wcodoc.fsutil import shown_path


def format_problem(problem: Problem) -> str:
    """``path:line: message [code]`` with the path relative to the working folder."""
    if problem.path is None:
        return str(problem)
    return str(replace(problem, path=shown_path(problem.path)))


def problem_line(problem: Problem) -> str:
    """A problem as every command prints it: ``path:line: message [code]``, a warning led by
    ``warning:`` (errors as :func:`format_error`, warnings as :func:`report_warnings`)."""
    return format_problem(problem) if problem.is_error else f"warning: {format_problem(problem)}"


def format_error(error: WcodocError) -> str:
    """The message a user sees: one line per problem, paths relative to the working folder."""
    if error.problems:
        return "\n".join(format_problem(p) for p in error.problems)
    path = shown_path(error.path) if error.path is not None else None
    return str(WcodocError(error.message, path, error.line))


def report_warnings(console, warnings) -> None:
    """Print warnings on ``console``, one line each: ``warning: path:line: message [code]``."""
    from rich.markup import escape

    for warning in sorted(warnings, key=Problem.sort_key):  # in file and line order, as check
        console.print(
            f"[yellow]warning:[/] {escape(format_problem(warning))}", highlight=False, soft_wrap=True
        )
