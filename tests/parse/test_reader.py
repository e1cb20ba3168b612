"""The caches of values computed from one file's text (``build/.cache/ast``, ``use-cases``,
``lint``): an entry is trusted only under the key it was written for, and only a regular file
is read. Checked as a user meets them: ``wcodoc build`` run twice, the cache tampered with
in between."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import docx_xml, paragraphs
from tests.test_corpus import run_wcodoc
from tests.transform.test_usecases import case_text
from wcodoc.build import CACHE_DIR, LINT_DIR, USE_CASES_DIR
from wcodoc.parse.reader import ContentCache

SYMBOL = "PC0685Ea"
BUILD = ["build", "--format", "docx"]


def _entry_holding(folder: Path, needle: str) -> Path:
    """The one cache entry of ``folder`` whose bytes hold ``needle``."""
    found = [path for path in folder.iterdir() if needle.encode() in path.read_bytes()]
    assert len(found) == 1, (needle, [path.name for path in folder.iterdir()])
    return found[0]


def _swap(first: Path, second: Path) -> None:
    """Give each of two files the other's bytes, as a mix-up of names would."""
    one, two = first.read_bytes(), second.read_bytes()
    first.write_bytes(two)
    second.write_bytes(one)


def _texts(root: Path) -> list[str]:
    return [text for _, text in paragraphs(docx_xml(root / "build" / f"{SYMBOL}.docx"))]


def _built(root: Path, args: list[str] = BUILD) -> str:
    result = run_wcodoc(args, root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_swapped_ast_entries_are_misses(make_project):
    root = make_project(
        {"chapters/01.md": "# One\n\nAlpha text.\n", "chapters/02.md": "# Two\n\nBeta text.\n"}
    )
    _built(root)
    cache = root / "build" / CACHE_DIR
    _swap(_entry_holding(cache, "Alpha"), _entry_holding(cache, "Beta"))
    _built(root)
    texts = _texts(root)
    assert texts.index("Alpha text.") < texts.index("Beta text.")


def test_swapped_use_case_entries_are_misses(make_project):
    root = make_project(
        {
            "chapters/01.md": "# One\n\nSee @uc:kr-alpha and @uc:ke-beta.\n",
            "annexes/use-cases/01-alpha.md": case_text(id="kr-alpha", title="Alpha case"),
            "annexes/use-cases/02-beta.md": case_text(id="ke-beta", title="Beta case"),
        }
    )
    _built(root)
    cache = root / "build" / USE_CASES_DIR
    _swap(_entry_holding(cache, "Alpha case"), _entry_holding(cache, "Beta case"))
    _built(root)
    headings = [text for text in _texts(root) if text.startswith("Use case ")]
    assert headings == ["Use case 1: Alpha case", "Use case 2: Beta case"]


def test_swapped_lint_entries_keep_each_warning_with_its_file(make_project):
    root = make_project(
        {"chapters/01.md": "# One\n\n7. Typed.\n", "chapters/02.md": "# Two\n\nText.\n\n9. Typed too.\n"}
    )
    first = _built(root)
    assert "chapters/01.md:3: paragraph starts with a typed number '7.'" in first
    cache = root / "build" / LINT_DIR
    _swap(_entry_holding(cache, "'7.'"), _entry_holding(cache, "'9.'"))
    second = _built(root)
    assert "chapters/01.md:3: paragraph starts with a typed number '7.'" in second
    assert "chapters/02.md:5: paragraph starts with a typed number '9.'" in second


def test_an_entry_is_read_under_its_own_key_only(tmp_path):
    cache = ContentCache(tmp_path)
    cache.put_value("a" * 64, ["value of a"])
    os.replace(tmp_path / f"{'a' * 64}.json", tmp_path / f"{'b' * 64}.json")
    assert cache.get_value("b" * 64) is None


def test_a_named_pipe_in_the_ast_cache_is_a_miss(make_project):
    root = make_project({"chapters/01.md": "# One\n\nAlpha text.\n"})
    _built(root)
    cache = root / "build" / CACHE_DIR
    for entry in cache.iterdir():  # a reader that opens one waits for a writer that never comes
        entry.unlink()
        os.mkfifo(entry)
    started = time.monotonic()
    _built(root)
    assert time.monotonic() - started < 30
    assert "Alpha text." in _texts(root)
    assert not any(entry.is_fifo() for entry in cache.iterdir())  # written again as files


@pytest.mark.parametrize("folder", [CACHE_DIR, USE_CASES_DIR, LINT_DIR])
def test_a_folder_or_link_to_a_device_in_a_cache_is_a_miss(make_project, folder):
    root = make_project(
        {
            "chapters/01.md": "# One\n\nSee @uc:kr-alpha.\n\n7. Typed.\n",
            "annexes/use-cases/01-alpha.md": case_text(id="kr-alpha", title="Alpha case"),
        }
    )
    _built(root)
    entries = list((root / "build" / folder).iterdir())
    for n, entry in enumerate(entries):
        entry.unlink()
        if n % 2:
            entry.mkdir()
        else:
            entry.symlink_to("/dev/zero")
    _built(root)
    assert "Use case 1: Alpha case" in _texts(root)
