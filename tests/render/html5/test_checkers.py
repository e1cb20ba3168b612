"""The HTML edition checked by tools nobody here wrote, and seen in a real browser.

The Nu Html Checker (the W3C's validator) runs once over every edition; one headless Chromium
session runs axe-core (WCAG 2.1 A and AA) on each, follows a link to ``#p12``, takes the
screenshots a reader would see (first page, a table, the annex) and prints the sample on A4.
Each checker is first shown to catch a deliberately broken page, so that its silence on ours
means something.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import pdf_text
from tests.support import validators
from tests.support.report import report_project
from wcodoc.build import build_project

EDITIONS = ["sample", "english", "french", "report"]


@pytest.fixture(scope="module")
def editions(sample_build, english_publication, french_publication, tmp_path_factory) -> dict[str, Path]:
    missing = validators.html_checkers_missing()
    if missing:
        pytest.fail(f"the HTML checks need {missing}: make test installs them")
    report = report_project(tmp_path_factory.mktemp("report-edition") / "report")
    return {
        "sample": sample_build.outputs["html"],
        "english": english_publication.outputs["html"],
        "french": french_publication.outputs["html"],
        "report": build_project(report, report / "build", ("html",)).outputs["html"],
    }


@pytest.fixture(scope="module")
def broken(editions, tmp_path_factory) -> Path:
    """The sample's page without its language, with a picture without alt text and an id twice."""
    page = editions["sample"].read_text(encoding="utf-8")
    page = page.replace('<html lang="en">', "<html>", 1)
    page = page.replace("<main>", '<main><img src="x.png"><p id="p1">again</p>', 1)
    out = tmp_path_factory.mktemp("broken-html") / "broken.html"
    out.write_text(page, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def nu_report(editions, broken) -> dict[Path, list[str]]:
    return validators.nu_html([*editions.values(), broken])


@pytest.fixture(scope="module")
def seen(editions, broken, tmp_path_factory) -> dict[str, dict]:
    """What the browser saw of each page, by name; the pictures it took under ``shots``."""
    shots = tmp_path_factory.mktemp("shots")
    first_page = {"path": shots / "first-page.png"}
    annex = {"path": shots / "annex.png", "selector": "#annex"}
    table = {"path": shots / "table.png", "selector": "#tbl-1"}
    pages = [
        {
            "file": editions["sample"],
            "axe": True,
            "anchors": ["p12", "p9b", "uc-3"],
            "shots": [first_page, annex],
            "pdf": shots / "printout.pdf",
        },
        {"file": editions["english"], "axe": True, "shots": [table]},
        {"file": editions["french"], "axe": True},
        {"file": editions["report"], "axe": True},
        {"file": broken, "axe": True},
    ]
    report = validators.browser(pages)
    found = dict(zip([*EDITIONS, "broken"], report, strict=True))
    found["shots"] = {"folder": shots}
    return found


# --- the checkers catch faults -----------------------------------------------------------------


def test_the_nu_checker_catches_a_picture_without_alt_text_and_an_id_twice(nu_report, broken):
    found = "\n".join(nu_report[broken])
    assert "must have an “alt” attribute" in found
    assert "Duplicate ID “p1”" in found


def test_axe_catches_a_page_without_language_and_a_picture_without_alt_text(seen):
    assert {"html-has-lang", "image-alt"} <= {v["id"] for v in seen["broken"]["violations"]}


# --- our editions pass --------------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_the_nu_checker_finds_no_error_nor_warning(nu_report, editions, name):
    assert nu_report[editions[name]] == []


@pytest.mark.parametrize("name", EDITIONS)
def test_axe_finds_no_wcag_2_1_a_or_aa_violation(seen, name):
    assert seen[name]["violations"] == []


# --- a reader's view -------------------------------------------------------------------------------


@pytest.mark.parametrize(("anchor", "number"), [("p12", "12."), ("p9b", "b."), ("uc-3", "Use case 3")])
def test_a_link_to_a_paragraph_shows_it_at_the_top_of_the_window(seen, anchor, number):
    landed = seen["sample"]["anchors"][anchor]
    assert landed is not None, anchor
    assert landed["scrolled"] > 0 and abs(landed["top"]) < 1, landed
    assert landed["text"].strip().startswith(number)


def test_the_screenshots_show_the_first_page_a_table_and_the_annex(seen):
    folder = seen["shots"]["folder"]
    assert seen["sample"]["shots"] == [None, None] and seen["english"]["shots"] == [None]
    for name in ("first-page.png", "annex.png", "table.png"):
        picture = (folder / name).read_bytes()
        assert picture.startswith(b"\x89PNG") and len(picture) > 20_000, name


def test_the_printout_is_a4_with_the_cover_and_the_contents_on_pages_of_their_own(seen):
    printout = seen["shots"]["folder"] / "printout.pdf"
    info = subprocess.run(["pdfinfo", str(printout)], capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89 pts (A4)" in info or "594.96 x 841.92 pts (A4)" in info, info
    pages = pdf_text(printout).split("\f")
    assert "FUTURE OF CUSTOMS" in pages[0] and "SUMMARY" in pages[0] and "Contents" not in pages[0]
    assert pages[1].lstrip().startswith("Contents") and "The WCO issued" not in pages[1]
    assert pages[2].lstrip().startswith("I. Introduction")
    text = "\n".join(pages)
    assert all(f"{n}." in text for n in range(1, 13))
    assert "Copyright" in pages[-2] or "Copyright" in pages[-1]
