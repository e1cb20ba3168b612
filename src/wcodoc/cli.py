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

from wcodoc import __version__
from wcodoc.commands import build, check, diff, new, pdf_server, revise, session, usecases, watch
from wcodoc.commands.output import format_error
from wcodoc.errors import WcodocError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wcodoc")
def cli() -> None:
    """Assemble WCO committee working documents from Markdown sources."""


for _module in (build, check, diff, usecases, new, revise, session, watch, pdf_server):
    cli.add_command(getattr(_module, _module.__name__.rsplit(".", 1)[1]))


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
