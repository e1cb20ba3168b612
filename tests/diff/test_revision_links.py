"""A git revision whose tree holds links to absolute paths still exports and compares."""

import subprocess
import sys


def git(root, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


PARAGRAPH = "The second paragraph has enough words to be paired"


def test_revision_with_absolute_link_elsewhere(make_project):
    root = make_project({"chapters/01.md": f"# A\n\nOne.\n\n{PARAGRAPH}.\n"})
    (root / "tests").mkdir()
    (root / "tests" / "link.md").symlink_to("/etc/hostname")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a")
    (root / "chapters" / "01.md").write_text(f"# A\n\nOne.\n\n{PARAGRAPH} again.\n")
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "diff", "HEAD", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert '"kind": "modified"' in result.stdout and '"new_number": "2"' in result.stdout


def test_author_comes_from_configuration(tmp_path, monkeypatch):
    from wcodoc.diff.sources import default_author

    monkeypatch.delenv("WCODOC_AUTHOR", raising=False)
    git(tmp_path, "init", "-q")
    assert default_author(tmp_path) != ""
    git(tmp_path, "config", "user.name", "Secretariat Editor")
    assert default_author(tmp_path) == "Secretariat Editor"
    monkeypatch.setenv("WCODOC_AUTHOR", "Tariff Unit")
    assert default_author(tmp_path) == "Tariff Unit"
