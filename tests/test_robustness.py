"""wcodoc when its external programs fail, when it is interrupted, and when builds run at once.

Also the "safe by construction" rules, checked over the source code itself: subprocesses get
argument lists (never a shell), YAML is loaded without object construction, and XML from
outside is parsed with entities and network off.
"""

from __future__ import annotations

import ast
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import ROOT, W, ctrl_c_restored, docx_xml, group_gone, paragraphs
from tests.test_corpus import MAX_LINES, limit_memory, run_wcodoc, tree_digest
from wcodoc.ooxml.package import parse_xml as parse_package_xml
from wcodoc.parse.pandoc import pandoc_path

SRC = ROOT / "src" / "wcodoc"
SYMBOL = "PC0685Ea"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the repository's sample document (metadata, chapters, use cases)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "document.yaml", root)
    shutil.copytree(ROOT / "chapters", root / "chapters")
    shutil.copytree(ROOT / "annexes", root / "annexes")
    return root


IDLE_OFFICE = 'case "$*" in *--convert-to*) ;; *) exec sleep 300;; esac\n'
"""First line of a fake soffice: started without ``--convert-to`` (the LibreOffice a build starts
early, ``wcodoc.pdf.early``), it idles like a real one until wcodoc kills it."""


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


RECORD = ".wcodoc-outputs.json"
"""What each build wrote (``wcodoc.writes.built``): no leftover, the build's own record."""


def leftovers(folder: Path) -> list[str]:
    """Temporary or partial files a failed or interrupted step might have left (the AST cache
    and the record of outputs aside)."""
    return sorted(
        p.name
        for p in folder.rglob("*")
        if (p.name.endswith(".tmp") or p.name.startswith("."))
        and ".cache" not in p.relative_to(folder).parts
        and p.name != RECORD
    )


def wait_for(path: Path, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not (path.is_file() and path.read_text().strip()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


# --- pandoc ------------------------------------------------------------------------------------


def fake_pandoc(tmp_path: Path) -> Path:
    """pandoc, except that it fails, as pandoc does, on any input holding ``BREAKME``."""
    return script(
        tmp_path / "fake-pandoc",
        f'input=$(mktemp); trap \'rm -f "$input"\' EXIT; cat > "$input"\n'
        'if grep -q BREAKME "$input"; then\n'
        '  echo "Error at line 3 column 1: unexpected end of input" >&2; exit 64\n'
        "fi\n"
        f'"{pandoc_path()}" "$@" < "$input"',
    )


@pytest.mark.parametrize("command", [["check"], ["build", "--format", "docx", "--no-cache"]])
def test_pandoc_failure_is_kept_and_tied_to_its_file(project, tmp_path, command):
    with (project / "chapters" / "03-technologies.md").open("a") as chapter:
        chapter.write("\nBREAKME\n")
    before = tree_digest(project)
    result = run_wcodoc(command, project, env={"WCODOC_PANDOC": str(fake_pandoc(tmp_path))})
    assert result.returncode == 1
    assert (
        "chapters/03-technologies.md: pandoc failed: Error at line 3 column 1: unexpected end of input"
        in result.stdout + result.stderr
    )
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


def test_pandoc_missing(project, tmp_path):
    result = run_wcodoc(["build", "--format", "docx"], project, env={"WCODOC_PANDOC": str(tmp_path / "nope")})
    assert result.returncode == 1
    assert result.stderr.strip() == f"pandoc not found at {tmp_path / 'nope'}; reinstall wcodoc"
    assert not (project / "build" / f"{SYMBOL}.docx").exists()


# --- LibreOffice -------------------------------------------------------------------------------


def test_libreoffice_missing_still_writes_the_docx(project, tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH with no soffice on it
    bin_dir.mkdir()
    result = run_wcodoc(["build", "--no-cache"], project, env={"PATH": str(bin_dir)})
    assert result.returncode == 1
    assert "LibreOffice (soffice) not found" in result.stderr
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert "Traceback" not in result.stderr
    out = project / "build"
    assert (out / f"{SYMBOL}.docx").is_file()
    assert not (out / f"{SYMBOL}.pdf").exists()
    assert leftovers(out) == []


def test_libreoffice_crash_keeps_its_message_and_the_previous_pdf(project, tmp_path):
    out = project / "build"
    out.mkdir()
    (out / f"{SYMBOL}.pdf").write_bytes(b"%PDF-1.7 previous build")
    crash = 'echo "soffice.bin: fatal error: bad allocation" >&2; kill -SEGV $$'
    soffice = script(tmp_path / "soffice", IDLE_OFFICE + crash)
    result = run_wcodoc(["build", "--no-cache"], project, env={"WCODOC_SOFFICE": str(soffice)})
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()
    assert len(message) <= MAX_LINES
    assert "LibreOffice could not convert the document to PDF: soffice.bin: fatal error: bad allocation" in (
        result.stderr
    )
    assert (out / f"{SYMBOL}.pdf").read_bytes() == b"%PDF-1.7 previous build"
    assert (out / f"{SYMBOL}.docx").is_file()
    assert leftovers(out) == []


def test_libreoffice_hang_is_stopped_with_its_process_group(project, tmp_path):
    pidfile = tmp_path / "soffice.pid"
    soffice = script(tmp_path / "soffice", IDLE_OFFICE + f'echo $$ > "{pidfile}"; sleep 300 & sleep 300')
    env = {
        **os.environ,
        "WCODOC_SOFFICE": str(soffice),
        "WCODOC_PDF_SERVER": "off",
        "WCODOC_CONVERT_TIMEOUT": "2",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "LibreOffice did not finish within 2 s and was stopped" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= MAX_LINES
    assert group_gone(int(pidfile.read_text()))
    out = project / "build"
    assert (out / f"{SYMBOL}.docx").is_file()
    assert not (out / f"{SYMBOL}.pdf").exists()
    assert leftovers(out) == []


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-1"])
def test_conversion_time_limit_must_be_a_number(project, value):
    env = {**os.environ, "WCODOC_PDF_SERVER": "off", "WCODOC_CONVERT_TIMEOUT": value}
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", "--format", "pdf"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    expected = f"WCODOC_CONVERT_TIMEOUT={value!r}: expected a number of seconds such as 300"
    assert result.stderr.strip() == expected


# --- interruption ------------------------------------------------------------------------------


def _interruptible_with_memory_limit() -> None:
    limit_memory()
    ctrl_c_restored()


def _interrupt_when(
    pidfile: Path, args: list[str], cwd: Path, env: dict[str, str], *, terminate: bool = False
) -> int:
    """Start wcodoc, wait until the stand-in program writes ``pidfile``, then press Ctrl-C.

    Ctrl-C reaches the whole foreground process group, so wcodoc runs in a group of its own
    and the signal goes to that group.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "wcodoc", *args],
        cwd=cwd,
        env={**os.environ, "WCODOC_PDF_SERVER": "off", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_interruptible_with_memory_limit,
    )
    try:
        wait_for(pidfile)
        if terminate:  # SIGTERM to wcodoc alone, as a supervisor or `kill PID` sends it
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert "Interrupted." in err and "Traceback" not in err
    assert group_gone(proc.pid)
    return proc.returncode


def test_interrupt_during_pandoc_leaves_nothing(project, tmp_path):
    pidfile = tmp_path / "pandoc.pid"
    # pandoc that hangs on writing the DOCX, the step whose output is renamed into place.
    pandoc = script(
        tmp_path / "pandoc",
        f'case "$*" in *"--to docx"*) echo $$ > "{pidfile}"; exec sleep 300;; esac\n'
        f'exec "{pandoc_path()}" "$@"',
    )
    before = tree_digest(project)
    status = _interrupt_when(pidfile, ["build", "--no-cache"], project, {"WCODOC_PANDOC": str(pandoc)})
    assert status == 130
    assert group_gone(int(pidfile.read_text()))
    assert tree_digest(project) == before  # no build folder, no temporary file


def test_interrupt_during_libreoffice_leaves_no_pdf_and_no_process(project, tmp_path):
    pidfile = tmp_path / "soffice.pid"
    soffice = script(tmp_path / "soffice", IDLE_OFFICE + f'echo $$ > "{pidfile}"; sleep 300 & sleep 300')
    status = _interrupt_when(pidfile, ["build", "--no-cache"], project, {"WCODOC_SOFFICE": str(soffice)})
    assert status == 130
    assert group_gone(int(pidfile.read_text()))  # LibreOffice's own group, with its child
    out = project / "build"
    assert sorted(p.name for p in out.iterdir()) == [RECORD, f"{SYMBOL}.docx"]


def test_sigterm_during_libreoffice_leaves_no_process_and_no_temporary_folder(project, tmp_path):
    pidfile = tmp_path / "soffice.pid"
    soffice = script(tmp_path / "soffice", IDLE_OFFICE + f'echo $$ > "{pidfile}"; sleep 300 & sleep 300')
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"WCODOC_SOFFICE": str(soffice), "TMPDIR": str(tmp)}
    status = _interrupt_when(pidfile, ["build", "--no-cache"], project, env, terminate=True)
    assert status == 130
    assert group_gone(int(pidfile.read_text()))
    assert list(tmp.iterdir()) == []
    assert sorted(p.name for p in (project / "build").iterdir()) == [RECORD, f"{SYMBOL}.docx"]


# --- concurrency -------------------------------------------------------------------------------


def test_four_builds_at_once_agree_byte_for_byte(project):
    # Two builds share the default output, two write elsewhere; all share the AST cache.
    outdirs = [None, None, project / "out-a", project / "out-b"]

    def build(outdir: Path | None) -> subprocess.CompletedProcess[str]:
        args = ["build", "--format", "docx"] + (["-o", str(outdir)] if outdir else [])
        return run_wcodoc(args, project)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(build, outdirs))
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    outputs = [project / "build" / f"{SYMBOL}.docx", *(d / f"{SYMBOL}.docx" for d in outdirs[2:])]
    contents = {path.read_bytes() for path in outputs}
    assert len(contents) == 1
    styles = [style for style, _ in paragraphs(docx_xml(outputs[0]))]
    assert styles.count("NumberedParagraph") >= 10 and "UseCaseHeading" in styles  # the whole document
    for folder in (project / "build", *outdirs[2:]):
        assert leftovers(folder) == []


@pytest.mark.libreoffice
def test_sample_builds_to_pdf_under_the_memory_limit(project):
    result = run_wcodoc(["build"], project, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (project / "build" / f"{SYMBOL}.pdf").read_bytes().startswith(b"%PDF")


# --- safe by construction ----------------------------------------------------------------------


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _name(func: ast.expr) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


SOURCES = sorted(SRC.rglob("*.py"))
SUBPROCESS_CALLS = {
    "subprocess.run",
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
}
SHELL_CALLS = {
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.spawnl",
    "os.spawnlp",
    "os.execl",
    "os.execlp",
}
XML_PARSE = {"etree.fromstring", "etree.parse", "etree.XML", "etree.iterparse"}
GENERATED_XML = {"finish.py", "template.py"}
"""Modules that parse only XML they built themselves (escaped values), never a file's."""


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_subprocesses_get_argument_lists_never_a_shell(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree):
        name = _name(call.func)
        assert name not in SHELL_CALLS, f"{path.name}:{call.lineno}: {name} runs a shell"
        assert not any(k.arg == "shell" for k in call.keywords), f"{path.name}:{call.lineno}: shell="
        if name in SUBPROCESS_CALLS:
            command = call.args[0]
            assert not isinstance(command, (ast.Constant, ast.JoinedStr, ast.BinOp)), (
                f"{path.name}:{call.lineno}: command given as a string"
            )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_yaml_is_never_loaded_unsafely(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    imports = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "yaml" not in imports, f"{path.name}: PyYAML; use wcodoc.load.yamlio"
    for call in _calls(tree):
        for keyword in call.keywords:
            if _name(call.func).endswith("YAML") and keyword.arg == "typ":
                assert isinstance(keyword.value, ast.Constant) and keyword.value.value in ("rt", "safe")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_xml_is_parsed_with_a_hardened_parser(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree):
        if _name(call.func) in XML_PARSE and path.name not in GENERATED_XML:
            assert len(call.args) >= 2 or any(k.arg == "parser" for k in call.keywords), (
                f"{path.name}:{call.lineno}: XML parsed with lxml's default parser"
            )
        if _name(call.func) == "etree.XMLParser":
            options = {k.arg: getattr(k.value, "value", None) for k in call.keywords}
            assert options.get("resolve_entities") is False and options.get("no_network") is True


def test_package_parts_never_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]><x>&e;</x>'.encode()
    root = parse_package_xml(xml)
    assert "TOP SECRET" not in (root.xpath("string()") or "")


def test_object_tags_never_run(project, tmp_path):
    marker = tmp_path / "pwned"
    yaml = (project / "document.yaml").read_text()
    tag = f"place: !!python/object/apply:os.system ['touch {marker}']\n"
    (project / "document.yaml").write_text(yaml + tag)
    result = run_wcodoc(["check"], project)
    assert result.returncode == 1
    assert "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed" in result.stdout
    assert not marker.exists()


# --- inputs that used to give wrong output (issue 15), through the real command line ------------


def _built(make_project, chapter: str, **files: str) -> tuple[Path, list[tuple[str, str]]]:
    """Build a project with ``chapter`` as its only chapter; return it and its body paragraphs."""
    root = make_project({"chapters/01-body.md": chapter, **files})
    result = run_wcodoc(["build", "--format", "docx", "--no-cache"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, paragraphs(docx_xml(root / "build" / f"{SYMBOL}.docx"))


def _ref_fields(root: Path) -> list[tuple[str, str]]:
    """(bookmark, cached number) of every REF field of the built DOCX."""
    xml = docx_xml(root / "build" / f"{SYMBOL}.docx")
    out = []
    for instr in xml.iter(f"{{{W}}}instrText"):
        run = instr.getparent()
        result = run.getnext().getnext()  # the separate run, then the cached text
        out.append((instr.text.split()[1], "".join(result.itertext())))
    return out


def test_text_around_a_reference_is_kept(make_project):
    _, paras = _built(
        make_project,
        """\
        # Aims

        []{#par:aim} The aim.

        Read it again [see paragraph @par:aim, especially its first sentence].

        As @par:aim [as amended] says, and [@par:aim; cf. @par:aim].
        """,
    )
    texts = [text for _, text in paras]
    assert "Read it again see paragraph 1, especially its first sentence." in texts
    assert "As 1 [as amended] says, and 1, cf. 1." in texts


def test_labels_differing_by_punctuation_or_beyond_40_characters_get_their_own_bookmarks(make_project):
    long = "par:" + "x" * 45
    root, _ = _built(
        make_project,
        f"""\
        # Labels

        []{{#par:a-b}} First.

        []{{#par:a_b}} Second.

        []{{#par:a.b}} Third.

        []{{#{long}a}} Fourth.

        []{{#{long}b}} Fifth.

        See @par:a-b, @par:a_b, @par:a.b, @{long}a and @{long}b.
        """,
    )
    fields = _ref_fields(root)
    assert [number for _, number in fields] == ["1", "2", "3", "4", "5"]
    bookmarks = [name for name, _ in fields]
    assert len({b.lower() for b in bookmarks}) == 5  # Word compares bookmark names without case
    assert all(len(b) <= 40 and b[0].isalpha() for b in bookmarks)
    xml = docx_xml(root / "build" / f"{SYMBOL}.docx")
    placed = {b.get(f"{{{W}}}name") for b in xml.iter(f"{{{W}}}bookmarkStart")}
    assert set(bookmarks) <= placed


def test_a_section_inside_unnumbered_is_counted_as_word_numbers_it(make_project):
    root, paras = _built(
        make_project,
        """\
        # First

        A paragraph.

        ::: unnumbered
        # Second {#sec:second}

        Unnumbered text.
        :::

        # Third {#sec:third}

        See @sec:second and @sec:third.
        """,
    )
    assert [text for style, text in paras if style == "Heading1"] == ["First", "Second", "Third"]
    assert [number for _, number in _ref_fields(root)] == ["II", "III"]


def test_lone_cr_line_ends_separate_paragraphs(make_project):
    root = make_project({})
    (root / "chapters").mkdir()
    (root / "chapters/01-mac.md").write_bytes(b"# Mac\r\rOne.\r\rTwo.\r\rThree.\r")
    result = run_wcodoc(["build", "--format", "docx", "--no-cache"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    paras = paragraphs(docx_xml(root / "build" / f"{SYMBOL}.docx"))
    assert [text for style, text in paras if style == "NumberedParagraph"] == ["One.", "Two.", "Three."]


def test_build_refuses_a_template_without_the_house_styles_as_check_does(make_project, tmp_path):
    import docx

    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    (root / "templates").mkdir()
    docx.Document().save(str(root / "templates" / "reference.docx"))
    results = [run_wcodoc(args, root) for args in (["check"], ["build", "--format", "docx", "-o", "out"])]
    for result in results:
        assert result.returncode == 1
        assert "templates/reference.docx: Word template lacks the styles" in result.stdout + result.stderr
    assert not (root / "out").exists()


def test_usecases_import_never_takes_the_title_from_core_properties(make_project, tmp_path):
    import docx

    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    source = tmp_path / "untitled.docx"
    document = docx.Document()  # its core properties say "Word Document"; its text has no title
    document.add_paragraph("Some text without any heading.")
    document.save(str(source))
    args = ["usecases", "import", str(source), "--id", "xx-untitled", "--member", "Kenya"]
    args += ["--region", "europe", "--technologies", "iot", "--year", "2020"]
    result = run_wcodoc(args, root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "untitled.docx: the Word file has no title" in result.stdout + result.stderr
    assert "--title" in result.stdout + result.stderr
    assert not (root / "annexes").exists()


def test_a_cache_entry_of_the_wrong_shape_is_parsed_again(make_project):
    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    build = ["build", "--format", "docx"]
    assert run_wcodoc(build, root).returncode == 0
    entries = list((root / "build" / ".cache" / "ast").iterdir())
    assert entries
    for entry in entries:  # valid JSON, the right top-level keys, nonsense inside
        entry.write_text('{"pandoc-api-version": [1], "meta": {}, "blocks": [5, {"t": 7}]}')
    result = run_wcodoc(build, root)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = [text for _, text in paragraphs(docx_xml(root / "build" / f"{SYMBOL}.docx"))]
    assert "Text." in texts


def _file_size_limit(blocks: int):
    def limit() -> None:
        limit_memory()
        resource.setrlimit(resource.RLIMIT_FSIZE, (blocks, blocks))

    return limit


def test_a_file_size_limit_gives_one_line_naming_the_step(make_project):
    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "build", "--format", "docx", "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_file_size_limit(4096),  # bytes: pandoc's DOCX is larger
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "the file-size limit (ulimit -f) was reached while writing" in output
    assert "Traceback" not in output and len(output.strip().splitlines()) == 1
    assert not (root / "build" / f"{SYMBOL}.docx").exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_author_with_a_control_character_is_refused_before_any_output(make_project, tmp_path, how):
    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    assert run_wcodoc(["build", "--format", "docx"], root).returncode == 0
    docx = root / "build" / f"{SYMBOL}.docx"
    args = ["diff", str(docx), str(docx), "-o", str(tmp_path / "redline.docx")]
    if how == "option":
        result = run_wcodoc([*args, "--author", "A\x01B"], tmp_path)
    else:
        result = run_wcodoc(args, tmp_path, env={"WCODOC_AUTHOR": "A\x02B"})
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "which a Word file cannot hold" in output and "Traceback" not in output
    assert not (tmp_path / "redline.docx").exists()


@pytest.mark.parametrize("outdir", ["/proc/wcodoc-out", "/sys/kernel/wcodoc-out"])
def test_an_output_folder_that_cannot_be_created_is_named(make_project, outdir):
    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    result = run_wcodoc(["build", "--format", "docx", "-o", outdir], root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert output.strip().startswith(f"{outdir}: cannot create the output folder"), output
    assert len(output.strip().splitlines()) == 1


def test_revise_keeps_lone_cr_line_ends(make_project):
    root = make_project({"chapters/01.md": "# One\n\nText.\n"}, yaml=None)
    (root / "document.yaml").write_bytes(
        b"reference: PC0685Ea\r# kept\rtitle: Future of Customs\rissued: 2022-03-07\r"
    )
    result = run_wcodoc(["revise", "--issued", "2022-04-01"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = (root / "document.yaml").read_bytes()
    assert b"\n" not in data
    assert data.startswith(b"reference: PC0685Eb\r# kept\rtitle: Future of Customs\rissued: 2022-04-01\r")


def test_diff_pdf_gives_libreoffice_no_external_sources(make_project, tmp_path):
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    root = make_project({"chapters/01.md": "# One\n\nText.\n"})
    assert run_wcodoc(["build", "--format", "docx"], root).returncode == 0
    old = root / "build" / f"{SYMBOL}.docx"
    document = docx.Document(str(old))
    document.paragraphs[-1].add_run(" Added.")
    document.part.relate_to("file:///etc/passwd", RT.IMAGE, is_external=True)
    document.part.relate_to("http://127.0.0.1:9/chart.png", RT.IMAGE, is_external=True)
    document.save(str(new := tmp_path / "new.docx"))
    seen, blank = tmp_path / "seen.docx", tmp_path / "blank.pdf"
    with pikepdf.new() as pdf:  # the printed redline is finished: its PDF must be readable
        pdf.add_blank_page()
        pdf.save(blank)
    soffice = script(
        tmp_path / "soffice",
        IDLE_OFFICE
        + 'OUTDIR=""; for a in "$@"; do [ "$prev" = --outdir ] && OUTDIR="$a"; prev="$a"; last="$a"; done\n'
        f'cp "$last" "{seen}"; cp "{blank}" "$OUTDIR/document.pdf"',
    )
    args = ["diff", str(old), str(new), "-o", str(tmp_path / "redline.docx"), "--pdf"]
    result = run_wcodoc(args, tmp_path, env={"WCODOC_SOFFICE": str(soffice)})
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(seen) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "/etc/passwd" not in rels and "127.0.0.1" not in rels
