"""``wcodoc new --kind report`` in a session folder, and the report's French translation."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import docx_xml, paragraphs
from wcodoc.build import build_project
from wcodoc.commands.new import new as new_command
from wcodoc.load.sessionconfig import load_session

SESSION_YAML = """\
committee: PC
sessions: [237, 238]
dates: {from: 2024-04-22, to: 2024-04-26}
"""


def new(*args: str):
    return CliRunner().invoke(new_command, list(args))


@pytest.fixture
def session(tmp_path, monkeypatch):
    folder = tmp_path / "ptc-237"
    folder.mkdir()
    (folder / "session.yaml").write_text(SESSION_YAML, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def test_a_report_and_its_translation_take_their_titles_from_the_session(session):
    assert new("report", "--kind", "report", "--issued", "2024-05-06").exit_code == 0
    made = new("rapport", "--translation-of", "report")
    assert made.exit_code == 0, made.output
    assert "kind: report\n" in (session / "rapport" / "document.yaml").read_text(encoding="utf-8")
    register = load_session(session, ["PC"]).entries
    # The register keeps a title someone wrote; a report's is generated.
    assert [(entry.folder, entry.title) for entry in register] == [("report", None), ("rapport", None)]
    french = build_project(session / "rapport", None, ("docx",)).outputs["docx"]
    found = paragraphs(docx_xml(french))
    assert ("CoverTitle", "RAPPORT DES 237ÈME/238ÈME SESSIONS DU COMITÉ TECHNIQUE PERMANENT") in found
    assert ("CoverSubtitle", "(22-26 avril 2024)") in found


def test_a_reports_translation_takes_no_title_either(session):
    assert new("report", "--kind", "report").exit_code == 0
    refused = new("rapport", "--translation-of", "report", "--title", "Rapport")
    assert refused.exit_code != 0
    assert "a report takes no --title or --item" in str(refused.exception)
    assert not (session / "rapport").exists()
