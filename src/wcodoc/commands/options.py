"""Arguments and options shared by several commands, so they read and behave the same."""

from __future__ import annotations

from pathlib import Path

import click

FORMAT_CHOICES = {"docx": ("docx",), "pdf": ("pdf",), "all": ("docx", "pdf")}
"""``--format`` value → the formats built."""

project_argument = click.argument("project", type=click.Path(path_type=Path), default=".", required=False)

outdir_option = click.option(
    "-o",
    "--outdir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: PROJECT/build).",
)

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMAT_CHOICES)),
    default="all",
    show_default=True,
    help="What to write: the DOCX, the PDF, or both.",
)
