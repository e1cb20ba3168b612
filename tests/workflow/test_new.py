"""wcodoc new: serial allocation in a session folder, the register, translations."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import zipfile

import pytest
from click.testing import CliRunner

from tests.conftest import docx_xml, paragraphs
from wcodoc.build import build_project
from wcodoc.commands.new import new as new_command
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.workflow.newdoc import create_document

SESSION_YAML = """\
# Session of the PTC, spring 2022
committee: PC      # serials below are PC serials
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
meeting: hybrid
register:
- symbol: PC0690E   # withdrawn, but never reuse
"""


@pytest.fixture
def session_dir(tmp_path):
    folder = tmp_path / "ptc-235"
    folder.mkdir()
    (folder / "session.yaml").write_text(SESSION_YAML, encoding="utf-8")
    existing = folder / "old"
    (existing / "chapters").mkdir(parents=True)
    (existing / "document.yaml").write_text("reference: PC0685Ea\ntitle: Old\nissued: 2022-03-07\n")
    (existing / "chapters" / "01.md").write_text("# A\n\nText.\n")
    return folder


def test_allocates_after_register_and_documents_one_after_the_other(session_dir):
    first = create_document(session_dir / "alpha", title="Alpha", item="V", issued=dt.date(2022, 3, 8))
    second = create_document(session_dir / "beta", title="Beta", item="VI")
    assert (str(first.symbol), str(second.symbol)) == ("PC0691Ea", "PC0692Ea")
    text = (session_dir / "session.yaml").read_text()
    today = dt.date.today().isoformat()
    assert text == SESSION_YAML + textwrap.dedent(f"""\
        - symbol: PC0691E
          folder: alpha
          title: Alpha
          allocated: {today}
        - symbol: PC0692E
          folder: beta
          title: Beta
          allocated: {today}
        """)


def test_new_document_inherits_and_builds_at_once(session_dir):
    created = create_document(
        session_dir / "alpha", title="Alpha: a study", item="V", issued=dt.date(2022, 3, 8)
    )
    project = load_project(created.root)
    meta = project.meta
    assert (str(meta.symbol), meta.title, meta.agenda_item, meta.issued) == (
        "PC0691Ea",
        "Alpha: a study",
        "V",
        dt.date(2022, 3, 8),
    )
    assert meta.sessions == (235, 236) and meta.meeting == "hybrid"
    assert (created.root / "annexes" / "use-cases" / ".gitkeep").is_file()
    result = build_project(created.root, None, ("docx",))
    texts = [t for _, t in paragraphs(docx_xml(result.outputs["docx"]))]
    assert "ALPHA: A STUDY" in texts and "(Item V. on the Agenda)" in texts


def test_two_concurrent_new_never_share_a_serial(session_dir):
    script = (
        "import sys; from wcodoc.workflow.newdoc import create_document; "
        "print(create_document(sys.argv[1], title='T').symbol)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(session_dir / f"doc{i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    symbols = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert symbols == ["PC0691Ea", "PC0692Ea", "PC0693Ea", "PC0694Ea"]
    assert (session_dir / "session.yaml").read_text().count("- symbol: PC069") == 5


def test_language_from_option_or_session(session_dir):
    path = session_dir / "session.yaml"
    path.write_text(SESSION_YAML.replace("meeting: hybrid\n", "meeting: hybrid\nlanguage: F\n"))
    assert str(create_document(session_dir / "a", title="A").symbol) == "PC0691Fa"
    assert str(create_document(session_dir / "b", title="B", language="E").symbol) == "PC0692Ea"


def test_reference_already_allocated_is_refused(session_dir):
    # A register entry with a folder is a document handed out (perhaps withdrawn since): never
    # again. One without a folder is a reservation, which --reference claims (test_session_git).
    session_yaml = session_dir / "session.yaml"
    session_yaml.write_text(
        SESSION_YAML.replace("PC0690E   # withdrawn, but never reuse", "PC0690E\n  folder: gone")
    )
    with pytest.raises(WcodocError, match=r"PC0690E is already allocated \(see the register"):
        create_document(session_dir / "x", title="X", reference="PC0690Ea")
    with pytest.raises(WcodocError, match=r"PC0685E is already allocated \(see old/document.yaml"):
        create_document(session_dir / "y", title="Y", reference="PC0685E")


def test_outside_a_session_needs_reference(tmp_path):
    with pytest.raises(WcodocError, match="needs --reference"):
        create_document(tmp_path / "doc", title="T")
    created = create_document(tmp_path / "doc", title="T", reference="PC0700E", item="III")
    assert str(created.symbol) == "PC0700Ea" and created.session is None
    assert build_project(created.root, None, ("docx",)).outputs["docx"].name == "PC0700Ea.docx"


def test_existing_folder_is_refused(session_dir):
    with pytest.raises(WcodocError, match="already exists"):
        create_document(session_dir / "old", title="T")


def test_session_without_committee_names_session_yaml(tmp_path):
    (tmp_path / "session.yaml").write_text("sessions: [235]\n")
    with pytest.raises(WcodocError, match="committee: not set") as info:
        create_document(tmp_path / "doc", title="T")
    assert info.value.path.name == "session.yaml"


def test_translation_keeps_serial_and_metadata(session_dir):
    english = session_dir / "old"
    (english / "document.yaml").write_text(
        "# keep me\nreference: PC0685Ea\ntitle: Old\nissued: 2022-03-07\nagenda_item: V\n"
    )
    created = create_document(session_dir / "old-fr", translation_of=english, title="Ancien")
    assert str(created.symbol) == "PC0685Fa"
    assert (created.root / "document.yaml").read_text() == (
        "# keep me\nreference: PC0685Fa\ntitle: Ancien\nissued: 2022-03-07\nagenda_item: V\n"
        "follows: PC0685Ea\ntranslation_of: old\n"  # what translation status compares with
    )
    assert (created.root / "chapters" / "01.md").read_text() == "# A\n\nText.\n"
    assert "- symbol: PC0685F\n  folder: old-fr\n" in (session_dir / "session.yaml").read_text()
    with pytest.raises(WcodocError, match="PC0685F already exists in old-fr/"):
        create_document(session_dir / "again", translation_of=english)


def test_cli_new(session_dir, monkeypatch):
    monkeypatch.chdir(session_dir)
    runner = CliRunner()
    args = ["gamma", "--item", "V", "--title", "Gamma", "--issued", "2022-03-07"]
    result = runner.invoke(new_command, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "created gamma/ as PC0691Ea"
    missing = runner.invoke(new_command, ["delta"])
    assert missing.exit_code == 2 and "--title" in missing.output


def test_translation_outside_session_with_new_issue_date(tmp_path):
    english = create_document(tmp_path / "en", title="T", reference="PC0700Ea", issued=dt.date(2022, 3, 7))
    french = create_document(tmp_path / "fr", translation_of=english.root, issued=dt.date(2022, 3, 9))
    meta = load_project(french.root).meta
    assert (str(meta.symbol), meta.title, meta.issued) == ("PC0700Fa", "T", dt.date(2022, 3, 9))
    assert french.session is None


def test_translation_names_earlier_drafts_in_its_language(tmp_path):
    english = create_document(tmp_path / "en", title="T", reference="PC0700Eb", issued=dt.date(2022, 3, 7))
    yaml = english.root / "document.yaml"
    yaml.write_text(yaml.read_text() + "history: [PC0700Ea]  # the first draft\n", encoding="utf-8")
    french = create_document(tmp_path / "fr", translation_of=english.root)
    text = (french.root / "document.yaml").read_text()
    assert "history: [PC0700Fa]  # the first draft" in text
    assert load_project(french.root).meta.history == ("PC0700Fa",)


def _read_only(folder, *args: str) -> subprocess.CompletedProcess[str]:
    """``wcodoc ARGS`` run in ``folder`` with ``folder`` mounted read-only (a private mount
    namespace: nothing outside the command sees it)."""
    mount = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && cd "$1" && shift && exec "$@"'
    command = ["unshare", "-rm", "sh", "-c", mount, "sh", str(folder), sys.executable, "-m", "wcodoc", *args]
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("needs unshare (mount namespaces)")
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


SESSION_INIT = "session init s --committee PC --sessions 237 --from 2024-01-01 --to 2024-01-02"
USECASES_NEW = "usecases new kr-x --member Korea --region asia-pacific --technologies iot --year 2020"


@pytest.mark.parametrize(
    ("where", "command", "named"),
    [
        ("standalone", "new x --title T --reference PC0700Ea", "x"),
        ("session", "new x --title T", "session.yaml.lock"),
        ("standalone", SESSION_INIT, "s"),
        ("project", USECASES_NEW, "document.yaml.lock"),
    ],
)
def test_a_read_only_file_system_is_one_line_naming_the_file(session_dir, tmp_path, where, command, named):
    folder = {"standalone": tmp_path / "empty", "session": session_dir, "project": session_dir / "old"}[where]
    folder.mkdir(exist_ok=True)
    result = _read_only(folder, *command.split())
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"{named}: cannot "), result.stderr
    assert result.stderr.rstrip().endswith(": Read-only file system"), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_translation_gets_the_pictures_of_its_original_and_builds_at_once(session_dir, monkeypatch):
    from tests.test_build import PNG_1PX

    english = session_dir / "old"
    (english / "figures").mkdir()
    (english / "figures" / "trend.png").write_bytes(PNG_1PX)
    (english / "figures" / "unused.png").write_bytes(PNG_1PX)
    (english / "pictures").mkdir()
    (english / "pictures" / "logo.png").write_bytes(PNG_1PX)
    (english / "chapters" / "01.md").write_text(
        "# A\n\nThe trend.\n\n![Trend](../figures/trend.png)\n\n![Logo](pictures/logo.png)\n"
    )
    monkeypatch.chdir(session_dir)
    runner = CliRunner()
    made = runner.invoke(new_command, ["old-fr", "--translation-of", "old", "--title", "Ancien"])
    assert made.exit_code == 0, made.output
    french = session_dir / "old-fr"
    assert (french / "figures" / "trend.png").read_bytes() == PNG_1PX
    assert (french / "pictures" / "logo.png").read_bytes() == PNG_1PX
    assert not (french / "figures" / "unused.png").exists()  # only what the original shows
    built = subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", "old-fr", "--format", "docx"],
        cwd=session_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(french / "build" / "PC0685Fa.docx") as docx:
        assert len([n for n in docx.namelist() if n.startswith("word/media/")]) == 2
