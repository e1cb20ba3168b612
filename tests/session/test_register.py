"""The register: serials allocated once, reservations claimed, under a lock, never making the
other documents out of date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from tests.session.folders import GIT_SESSION_YAML, run
from wcodoc.commands.new import new as new_command
from wcodoc.load.sessionconfig import read_session
from wcodoc.session.documents import build_session, document_status
from wcodoc.workflow.newdoc import create_document


def test_reserved_serial_is_claimed_with_reference(repo, monkeypatch):
    result = run(new_command, ["korea", "--title", "Korea", "--reference", "PC0790E"], repo, monkeypatch)
    assert result.exit_code == 0, result.output
    text = (repo / "session.yaml").read_text()
    assert text.count("PC0790E") == 1
    today = dt.date.today().isoformat()
    assert (
        "- symbol: PC0790E   # reserved for the Korean paper\n"
        f"  folder: korea\n  title: Korea\n  allocated: {today}\n- symbol: PC0791E\n"
    ) in text
    assert "reference: PC0790Ea" in (repo / "korea" / "document.yaml").read_text()
    again = run(new_command, ["korea2", "--title", "K", "--reference", "PC0790E"], repo, monkeypatch)
    assert again.exit_code == 1 and "already allocated" in str(again.exception)


def test_allocated_entry_with_a_folder_is_still_refused(repo, monkeypatch):
    result = run(new_command, ["x", "--title", "X", "--reference", "PC0700E"], repo, monkeypatch)
    assert result.exit_code == 1 and "PC0700E is already allocated" in str(result.exception)


def test_no_serial_past_9999(repo, monkeypatch):
    (repo / "session.yaml").write_text(GIT_SESSION_YAML + "- symbol: PC9999E\n")
    before = (repo / "session.yaml").read_bytes()
    result = run(new_command, ["late", "--title", "Late"], repo, monkeypatch)
    assert result.exit_code == 1
    assert str(result.exception).splitlines() == [
        f"{repo / 'session.yaml'}: no serial left for PC: PC9999 is the last four-digit serial; "
        "pass --reference with a free one"
    ]
    assert (repo / "session.yaml").read_bytes() == before and not (repo / "late").exists()


def test_concurrent_new_of_the_same_folder_exactly_one_wins(repo):
    script = (
        "import sys; from wcodoc.workflow.newdoc import create_document; "
        "print(create_document(sys.argv[1], title=sys.argv[2]).symbol)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(repo / "same"), f"Title {i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [(p.communicate(timeout=60), p.returncode) for p in procs]
    winners = [out for (out, _), code in results if code == 0]
    assert len(winners) == 1, results
    assert all("already exists" in err for (_, err), code in results if code != 0)
    text = (repo / "session.yaml").read_text()
    assert text.count("folder: same") == 1
    assert winners[0].strip() in (repo / "same" / "document.yaml").read_text()


def test_new_inside_a_document_folder_is_refused(repo, monkeypatch):
    before = (repo / "session.yaml").read_bytes()
    result = run(new_command, ["smart-customs/inner", "--title", "Inner"], repo, monkeypatch)
    assert result.exit_code == 1
    assert "inside the document folder smart-customs/" in str(result.exception)
    assert (repo / "session.yaml").read_bytes() == before
    assert not (repo / "smart-customs" / "inner").exists()


def test_register_change_does_not_make_other_documents_out_of_date(repo):

    build_session(read_session(repo / "session.yaml"), ("docx",))
    assert document_status(repo / "smart-customs", ("docx",)).up_to_date
    create_document(repo / "second", title="Second")
    assert document_status(repo / "smart-customs", ("docx",)).up_to_date
    assert "folder: second" in (repo / "session.yaml").read_text()


def test_first_document_follows_the_highest_serial_reserved(repo):
    assert "reference: PC0791Ea" in (repo / "smart-customs" / "document.yaml").read_text()


def test_claiming_a_serial_reserved_twice_names_the_lines(repo, monkeypatch):
    (repo / "session.yaml").write_text(GIT_SESSION_YAML + "- symbol: PC0790E   # again\n")
    before = (repo / "session.yaml").read_bytes()
    result = run(new_command, ["korea", "--title", "Korea", "--reference", "PC0790E"], repo, monkeypatch)
    assert result.exit_code == 1
    assert str(result.exception).splitlines() == [
        f"{repo / 'session.yaml'}:9: PC0790E is already allocated: the register reserves it twice "
        "(lines 9 and 10); delete one of the entries, then claim it"
    ]
    assert (repo / "session.yaml").read_bytes() == before and not (repo / "korea").exists()
    taken = run(new_command, ["x", "--title", "X", "--reference", "PC0700E"], repo, monkeypatch)
    assert str(taken.exception).startswith(f"{repo / 'session.yaml'}:7: PC0700E is already allocated")
