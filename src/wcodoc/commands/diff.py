"""``wcodoc diff``: what changed between two drafts, by paragraph number, and a redline."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from wcodoc.commands.options import author_option
from wcodoc.diff import compare_files, redline
from wcodoc.diff.report import plural, render
from wcodoc.diff.sources import DEFAULT_AUTHOR, redline_author, resolve_drafts
from wcodoc.errors import WcodocError
from wcodoc.fsutil import shown_path
from wcodoc.pdf.early import early_office

FORMATS = ("text", "markdown", "json", "html")
ERROR_STATUS = 2
"""Like diff(1): 0 no differences, 1 differences (with --exit-code), 2 trouble."""


@click.command()
@click.argument("old")
@click.argument("new", required=False, default=".")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the new draft with tracked changes to this DOCX.",
)
@click.option("--pdf", is_flag=True, help="Also write the redline as PDF (beside the DOCX).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format printed on standard output.",
)
@author_option(DEFAULT_AUTHOR)
@click.option("--exit-code", is_flag=True, help="Exit with status 1 when the drafts differ.")
@click.option(
    "--ignore-formatting",
    is_flag=True,
    help="Compare text only: formatting-only changes are neither reported nor marked.",
)
def diff(
    old: str,
    new: str,
    output: Path | None,
    pdf: bool,
    fmt: str,
    author: str | None,
    exit_code: bool,
    ignore_formatting: bool,
) -> int:
    """Compare OLD and NEW drafts: .docx files, project folders or git revisions.

    NEW defaults to the project in the current folder (the working tree).
    """
    try:
        return _run(old, new, output, pdf, fmt, redline_author(author), exit_code, ignore_formatting)
    except WcodocError as error:
        error.exit_code = ERROR_STATUS
        raise
    except (
        click.exceptions.Exit,
        click.exceptions.Abort,
        click.ClickException,
        KeyboardInterrupt,
        BrokenPipeError,
    ):
        raise
    except Exception as error:  # a bug of ours: still diff's "trouble" status, never 70
        if os.environ.get("WCODOC_DEBUG"):
            raise
        failure = WcodocError(
            f"internal error: {type(error).__name__}: {error} "
            "(please report it; set WCODOC_DEBUG=1 to see the details)"
        )
        failure.exit_code = ERROR_STATUS
        raise failure from error


def _run(
    old: str,
    new: str,
    output: Path | None,
    pdf: bool,
    fmt: str,
    author: str,
    exit_code: bool,
    ignore_formatting: bool,
) -> int:
    if pdf and output is None:
        raise WcodocError("--pdf needs -o REDLINE.docx to know where to write")
    with ExitStack() as stack:
        # LibreOffice starts while the drafts are read (or built) and compared.
        office = stack.enter_context(early_office(pdf))
        old_docx, new_docx = resolve_drafts(old, new, stack)
        if output is not None and any(_same_file(output, draft) for draft in (old_docx, new_docx)):
            raise WcodocError(
                "-o names one of the drafts compared: write the redline to another file", output
            )
        comparison = compare_files(old_docx, new_docx, ignore_formatting=ignore_formatting)
        color = fmt == "text" and sys.stdout.isatty()
        click.echo(
            render(fmt, comparison.old, comparison.new, comparison.alignment, color=color),
            nl=False,
            color=color,
        )
        if output is not None:
            target = output.with_suffix(".pdf") if pdf else None
            marks = redline(comparison, output, author=author, pdf=target, office=office)
            click.echo(f"wrote {shown_path(output)} ({plural(marks, 'tracked change')})", err=True)
            if target is not None:
                click.echo(f"wrote {shown_path(target)}", err=True)
    return 1 if exit_code and comparison.changed else 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False
