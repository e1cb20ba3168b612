"""The ``wcodoc`` command line: a thin layer that parses options and calls the library.

Each command lives in ``wcodoc.commands.<name>``; this module only gathers them and turns a
:class:`~wcodoc.errors.WcodocError` into one line ``path:line: message`` and an exit status.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from wcodoc import __version__
from wcodoc.errors import Problem, WcodocError

# Module name under wcodoc.commands → the click command object it defines.
COMMANDS = {
    "build": "build",
    "check": "check",
    "diff": "diff",
    "usecases": "usecases",
    "new": "new",
    "revise": "revise",
    "session": "session",
    "watch": "watch",
    "pdf_server": "pdf_server",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wcodoc")
def cli() -> None:
    """Assemble WCO committee working documents from Markdown sources."""


def _register() -> None:
    for module_name, attribute in COMMANDS.items():
        try:
            module = importlib.import_module(f"wcodoc.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wcodoc.commands.{module_name}":
                raise
            continue  # a command not (yet) shipped in this build
        cli.add_command(getattr(module, attribute))


_register()


def _relative(path: object) -> str:
    try:
        rel = os.path.relpath(Path(str(path)).resolve())
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("../..") else rel


def format_problem(problem: Problem) -> str:
    """``path:line: message [code]`` with the path relative to the working folder."""
    if problem.path is None:
        return str(problem)
    return str(replace(problem, path=_relative(problem.path)))


def format_error(error: WcodocError) -> str:
    """The message a user sees: one line per problem, paths relative to the working folder."""
    if error.problems:
        return "\n".join(format_problem(p) for p in error.problems)
    path = _relative(error.path) if error.path is not None else None
    return str(WcodocError(error.message, path, error.line))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``wcodoc`` console script."""
    try:
        status = cli.main(args=argv, prog_name="wcodoc", standalone_mode=False)
    except WcodocError as error:
        click.echo(format_error(error), err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    # A command may return an exit status (``diff --exit-code`` returns 1 on differences).
    sys.exit(status if isinstance(status, int) else 0)
