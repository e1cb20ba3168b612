"""The ``wcodoc`` command line: a thin layer that parses options and calls the library.

Each command lives in ``wcodoc.commands.<name>``; this module only gathers them and turns a
:class:`~wcodoc.errors.WcodocError` into one line ``path:line: message`` and an exit status.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import click

from wcodoc.commands.output import format_error
from wcodoc.errors import WcodocError

COMMANDS = {
    "build": "Build PROJECT (default: the current folder) into <symbol>.docx and <symbol>.pdf.",
    "check": "Check PROJECT (default: the current folder): metadata, chapters, labels, use cases, images.",
    "diff": "Compare OLD and NEW drafts: .docx files, project folders or git revisions.",
    "usecases": "List, create and import the use cases of the annex.",
    "new": "Create the document project NAME (a new folder) ready to build.",
    "revise": "Bump the symbol of PROJECT (PC0685Ea → PC0685Eb), set the issue date, record the history.",
    "session": "Start a session folder, list, build or check the translations of its documents.",
    "review": "Compile Members' returned copies by paragraph; write accepted changes into the sources.",
    "watch": "Rebuild PROJECT whenever a source is saved (Ctrl-C to stop).",
    "pdf-server": "Convert DOCX to PDF on request with a LibreOffice kept running, until Ctrl-C.",
}
"""Every command, in the order ``--help`` lists them, with the line it shows (the first line of
the command's docstring: ``tests/test_cli.py`` checks that the two agree)."""


def load_command(name: str) -> click.Command | None:
    """The command ``name``, its module imported only now: a command imports the library (lxml,
    pandoc's wrapper, LibreOffice's …), which ``wcodoc --help`` and the other commands do not need."""
    if name == "build":
        from wcodoc.commands.build import build as command
    elif name == "check":
        from wcodoc.commands.check import check as command
    elif name == "diff":
        from wcodoc.commands.diff import diff as command
    elif name == "usecases":
        from wcodoc.commands.usecases import usecases as command
    elif name == "new":
        from wcodoc.commands.new import new as command
    elif name == "revise":
        from wcodoc.commands.revise import revise as command
    elif name == "session":
        from wcodoc.commands.session import session as command
    elif name == "review":
        from wcodoc.commands.review import review as command
    elif name == "watch":
        from wcodoc.commands.watch import watch as command
    elif name == "pdf-server":
        from wcodoc.commands.pdf_server import pdf_server as command
    else:
        return None
    return command


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is used (see ``load_command``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
            # click's own shortening, on a stand-in command holding the line alone
            stand_in = click.Command
            formatter.write_dl(
                [
                    (name, stand_in(name, help=line).get_short_help_str(limit))
                    for name, line in COMMANDS.items()
                ]
            )


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from wcodoc import __version__

    click.echo(f"wcodoc, version {__version__}")
    ctx.exit()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Assemble WCO committee working documents from Markdown sources."""


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``wcodoc`` console script."""
    # SIGTERM (a supervisor, `kill`, a closing IDE) stops wcodoc the way Ctrl-C does, so that
    # LibreOffice's process group is killed, queued documents are dropped and no half-written
    # output is left; Python's default would end the process without any clean-up.
    signal.signal(signal.SIGTERM, _terminated)
    # Past a file-size limit (ulimit -f) a write then fails with "File too large", which names
    # the file, instead of the signal killing wcodoc or pandoc without a word.
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
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
    except Exception as error:  # a bug of ours: one line for the user, details on request
        if os.environ.get("WCODOC_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(error).__name__}: {error} "
            "(please report it; set WCODOC_DEBUG=1 to see the details)",
            err=True,
        )
        sys.exit(70)
    # A command may return an exit status (``diff --exit-code`` returns 1 on differences).
    sys.exit(status if isinstance(status, int) else 0)
