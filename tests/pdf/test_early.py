"""LibreOffice started early (``wcodoc.pdf.early``): same PDF, nothing left behind, even after
wcodoc is killed."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

import wcodoc.build
from tests.conftest import ROOT, group_gone
from wcodoc.build import build_project
from wcodoc.pdf.early import early_office

pytestmark = pytest.mark.libreoffice


def _office_members(group: int) -> list[str]:
    """Names of the processes in process group ``group``."""
    names = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[2]) == group:
                names.append(stat[stat.index("(") + 1 : stat.rindex(")")])
    return names


def _pipe_of(profile: Path) -> Path:
    """The socket file of the single-instance pipe of the LibreOffice whose profile is
    ``profile``: its name holds the MD5 of the profile's URL in UTF-16, each byte in hex without
    a leading zero (as LibreOffice 7.4 writes it), so the tests look at their own instances'
    pipes, not at those other programs leave in /tmp."""
    digest = hashlib.md5(profile.resolve().as_uri().encode("utf-16-le")).digest()
    return Path("/tmp", f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(f'{b:x}' for b in digest)}")


def _dead(name: str) -> bool:
    """Whether nobody listens on LibreOffice pipe ``name`` any more: a socket file left behind
    (LibreOffice instances other tests or programs run meanwhile still listen on theirs)."""
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(f"/tmp/{name}")
        except FileNotFoundError:
            return False  # removed meanwhile
        except OSError:
            return True
    return False


def test_pdf_through_an_office_started_early_is_the_cold_pdf(tmp_path, monkeypatch):
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")
    folders: list[Path] = []  # the temporary folders of the builds: their LibreOffice profiles
    made = tempfile.mkdtemp

    def recorded(*args, **kwargs):
        folders.append(Path(made(*args, **kwargs)))
        return str(folders[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", recorded)
    early = build_project(ROOT, tmp_path / "early", ("pdf",), use_cache=False)
    with monkeypatch.context() as patched:
        # The PDF writer without its early start: LibreOffice starts when the DOCX is ready.
        patched.setitem(wcodoc.build.WRITERS, "pdf", replace(wcodoc.build.WRITERS["pdf"], early=None))
        cold = build_project(ROOT, tmp_path / "cold", ("pdf",), use_cache=False)
    assert early.outputs["pdf"].read_bytes() == cold.outputs["pdf"].read_bytes()
    # The instance stops in the background: its folder and LibreOffice's socket file go too.
    assert _no_office_folder_within(10)
    profiles = [f / "profile" for f in folders if f.name.startswith(("wcodoc-office-", "wcodoc-convert-"))]
    assert len(profiles) >= 2  # the early instance's, the cold conversion's
    assert [p for p in profiles if _pipe_of(p).exists()] == []


def _no_office_folder_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while list(Path(tempfile.gettempdir()).glob("wcodoc-office-*")):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_build_that_fails_leaves_no_office(tmp_path, monkeypatch):
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")
    project = tmp_path / "doc"
    subprocess.run(
        [sys.executable, "-m", "wcodoc", "new", str(project), "--title", "Trial", "--reference", "PC0690Ea"],
        check=True,
        capture_output=True,
    )
    chapter = next((project / "chapters").glob("*.md"))
    chapter.write_text("# Title\n\nSee @par:nowhere for more.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", str(project)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "nowhere" in result.stderr
    assert _no_office_folder_within(10)


HOLDER = """
import sys, time
from wcodoc.pdf.early import early_office
with early_office() as profile:
    print(profile, flush=True)
    time.sleep(600)
"""


def test_office_stops_when_wcodoc_is_killed(tmp_path):
    env = {**os.environ, "WCODOC_PDF_SERVER": "off"}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None
    profile = Path(holder.stdout.readline().strip())
    group = _group_of(profile)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "soffice.bin" not in _office_members(group):
        time.sleep(0.1)
    assert "soffice.bin" in _office_members(group)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    assert group_gone(group, within=15)
    assert not profile.parent.exists()
    assert not _pipe_of(profile).exists()  # LibreOffice, stopped by a signal, leaves it


def _group_of(profile: Path) -> int:
    """The process group of the supervisor started for ``profile`` (its command names it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"wcodoc-office" in command and str(profile.parent).encode() in command:
                return os.getpgid(int(entry))
        time.sleep(0.05)
    raise AssertionError(f"no supervisor for {profile}")


def test_no_office_without_a_writable_temporary_folder(monkeypatch):
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    with early_office() as profile:
        assert profile is None


def test_office_leaves_no_socket_file(monkeypatch):
    """LibreOffice leaves its pipe's socket file in /tmp when killed: wcodoc unlinks it."""
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")
    with early_office() as profile:
        assert profile is not None
        pipe = _pipe_of(profile)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not pipe.exists() or _dead(pipe.name)):
            time.sleep(0.1)  # until the instance listens on its pipe
        assert pipe.exists() and not _dead(pipe.name)
    assert not pipe.exists()


def _built_with(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "WCODOC_PDF_SERVER": "off", **env},
        timeout=120,
        check=False,
    )


def test_a_bad_setting_stops_the_build_before_libreoffice_starts(tmp_path):
    started = tmp_path / "started"
    soffice = tmp_path / "soffice"
    soffice.write_text(f"#!/bin/sh\necho $$ >> {started}\nexec sleep 300\n")
    soffice.chmod(0o755)
    result = _built_with(ROOT, {"WCODOC_CONVERT_TIMEOUT": "nan", "WCODOC_SOFFICE": str(soffice)})
    assert result.returncode == 1
    assert result.stderr.strip() == "WCODOC_CONVERT_TIMEOUT='nan': expected a number of seconds such as 300"
    assert not started.exists()


def test_libreoffice_killed_early_leaves_nothing_in_tmpdir(tmp_path):
    """LibreOffice keeps temporary files (``lu*.tmp``) in TMPDIR, and a killed one leaves them:
    each instance gets a folder of its own, removed with its profile."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    project = tmp_path / "doc"
    shutil.copytree(ROOT / "chapters", project / "chapters")
    shutil.copy(ROOT / "document.yaml", project)
    # pandoc fails once LibreOffice has had time to start: the build stops and kills it.
    pandoc = tmp_path / "pandoc"
    pandoc.write_text("#!/bin/sh\nsleep 4\necho 'pandoc broke' >&2\nexit 64\n")
    pandoc.chmod(0o755)
    result = _built_with(project, {"TMPDIR": str(tmpdir), "WCODOC_PANDOC": str(pandoc)})
    assert result.returncode == 1 and "pandoc broke" in result.stderr
    deadline = time.monotonic() + 10
    while list(tmpdir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmpdir.iterdir()) == []
