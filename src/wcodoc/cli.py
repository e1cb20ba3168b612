"""The ``wcodoc`` command line: a thin layer that parses options and calls the library.

Each command lives in ``wcodoc.commands.<name>``; this module only gathers them and turns a
:class:`~wcodoc.errors.WcodocError` into one line ``path:line: message`` and an exit status.
"""

from __future__ import annotations

import importlib
import sys

import click

from wcodoc import __version__
from wcodoc.commands.output import format_error
from wcodoc.errors import WcodocError

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
