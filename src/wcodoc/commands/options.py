"""Arguments and options shared by several commands, so they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wcodoc.build import ALL, FORMATS

FORMAT_CHOICES = (*FORMATS, ALL)
"""``--format`` values: one per writer of ``build.WRITERS``, and ``all`` (each project's own,
``formats:`` in its ``document.yaml``, else the DOCX and the PDF)."""

F = TypeVar("F", bound=Callable[..., Any])

project_argument = click.argument("project", type=click.Path(path_type=Path), default=".", required=False)

outdir_option = click.option(
    "-o",
    "--outdir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: PROJECT/build).",
)


def formats_option(
    help: str = "What to write: the DOCX, the PDF, the HTML edition, or all (formats: in document.yaml, "
    "else DOCX and PDF).",
) -> Callable[[F], F]:
    """``--format docx|pdf|html|all``, repeatable (``--format pdf --format html``), into
    ``formats``: each format asked for once, in order; with the help line of the command."""
    return click.option(
        "--format",
        "formats",
        type=click.Choice(FORMAT_CHOICES),
        multiple=True,
        default=(ALL,),
        show_default=True,
        callback=lambda _ctx, _param, values: tuple(dict.fromkeys(values)),
        help=f"{help} Repeat it for several (--format pdf --format html).",
    )


format_option = formats_option()

force_option = click.option(
    "--force",
    is_flag=True,
    help="Overwrite built files edited since they were built (their edits are lost).",
)


def author_option(fallback: str) -> Callable[[F], F]:
    """``--author NAME`` of the commands that write a redline; ``fallback`` names who signs when
    neither the environment nor git does (passed in: this module must not import the diff)."""
    return click.option(
        "--author",
        default=None,
        help="Author of the redline's tracked changes (default: $WCODOC_AUTHOR, else git's "
        f"user.name, else {fallback}).",
    )
