"""What a returned copy answers: the version of the document that was sent out.

Knowing it is what keeps an apply from undoing earlier work: the copy's edits made without
tracking are found by comparing it with what was sent, so comparing it with anything newer
would read the changes made since (another Member's, applied before) as this Member's edits
back to the old text. In order:

1. ``--base`` names it: a .docx (the file sent), a project folder or a git revision.
2. Else the copy's cover must carry a symbol of this document (its ``reference`` now, or one
   in its ``history``); a copy without one — a Member's own paper — is no copy of it.
3. A git tag named after the symbol (``git tag PC0685Ea`` when sending).
4. The commits in which the project's ``document.yaml`` had that ``reference`` (and the
   sources now, if they still have it and are not committed): each built, the one whose text
   reads most like the copy's with its tracked changes rejected. On a tie the oldest wins: a
   base older than what was sent can only make a change look like a conflict, one newer would
   read the edits made since as the Member's reverting them.
5. No history of that version: a built file edited by hand (``build/PC0685Ea.docx``, listed
   in the build's record) when the sources now build to exactly the bytes recorded for it —
   builds are reproducible, so they are what it was built from; else the sources now, when
   they read as the copy (apart from the copy's own tracked changes, already applied); then
   the copy's edits made without tracking cannot be told from edits made since, and are not
   read. Otherwise apply refuses, naming ``--base``.
"""

from __future__ import annotations

import subprocess
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from wcodoc.diff.align import Pair, align
from wcodoc.diff.extract import Block
from wcodoc.diff.sources import resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import Project
from wcodoc.load.sessionconfig import load_session
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamlio import parse_yaml
from wcodoc.review.collect import Base, Returned, read_base
from wcodoc.writes.built import OutputRecord, digest

MAX_CANDIDATES = 12
"""Versions of one symbol built to find the one sent; with more, apply asks for ``--base``."""
GIT_TIMEOUT = 120


@dataclass(frozen=True)
class Sent:
    """What was sent out, and how it was found."""

    base: Base
    name: str
    """How it was found: ``PC0685Ea (tag PC0685Ea)``, ``PC0685Ea (commit 1a2b3c4)``, …"""
    untracked: bool = True
    """Whether the copy's edits made without tracking can be told (no: point 5 above)."""


def symbol_on(blocks: list[Block]) -> DocumentSymbol | None:
    """The document symbol printed on a copy's cover, if it has one."""
    for block in blocks:
        if block.block == "cover" and block.field == "reference":
            try:
                return DocumentSymbol.parse(block.text)
            except ValueError:
                continue  # the committee's name, printed from the reference's prefix
    return None


def what_was_sent(project: Project, copy_: Returned, given: str | None, now: Path, stack: ExitStack) -> Sent:
    """What ``copy_`` answers (see the module's text); ``now``: a build of the sources now."""
    rejected = copy_.view(lambda el: False)
    symbol = symbol_on(rejected)
    if given is not None:
        # A file or folder named from here; a revision of the project's repository.
        where = None if Path(given).exists() else project.root
        base = read_base(resolve_docx(given, stack, cwd=where, project=project.root))
        _same_document(project, copy_, symbol, base.symbol, given=True)
        return Sent(base, f"{base.symbol} (--base {given})")
    _same_document(project, copy_, symbol, str(project.meta.symbol), given=False)
    assert symbol is not None
    history = _History(project.root)
    tagged = history.tag(str(symbol))
    if tagged is not None:
        base = read_base(resolve_docx(tagged, stack, cwd=project.root, project=project.root))
        return Sent(base, f"{symbol} (tag {tagged})")
    candidates = history.commits_with(str(symbol)) if history.top else []
    current = project.meta.symbol == symbol
    if candidates:
        dirty = history.dirty()
        # The commit the sources now are (not changed since) is read from their build, not built again.
        built = {c: now for c in candidates[:1] if not dirty and history.tree(c) == history.tree("HEAD")}
        return _closest(
            project, symbol, candidates, now if current and dirty else None, built, rejected, stack
        )
    if current:
        return _the_sources_now(project, copy_, symbol, now, rejected)
    raise WcodocError(
        f"the copy answers {symbol}, which this project no longer is (it is {project.meta.symbol}) and "
        f"git has no version of it: name what was sent with --base (the .docx sent, or a git "
        f"revision; tag what you send: git tag {symbol})",
        copy_.path,
    )


def _same_document(
    project: Project, copy_: Returned, symbol: DocumentSymbol | None, base: str, *, given: bool
) -> None:
    """Refuse a copy that is not a copy of this document (before anything is read from it)."""
    if symbol is None:
        raise WcodocError(
            f"not a copy of {base}: its cover has no document symbol (a Member's own paper?); "
            "compile it with `wcodoc review collect` and apply what you accept by hand",
            copy_.path,
        )
    if given:
        if str(symbol) != base:
            raise WcodocError(
                f"a copy of {symbol}, not of {base} (--base): check that it answers it", copy_.path
            )
        return
    mine = project.meta.symbol
    if symbol.base != mine.base or symbol.edition != mine.edition:
        raise WcodocError(
            f"a copy of {symbol}{_registered(project, symbol)}, not of this document ({mine})", copy_.path
        )
    known = {str(mine), *project.meta.history}
    if str(symbol) not in known:
        raise WcodocError(
            f"a copy of {symbol}, a version this document has not issued (it is {mine}; history: "
            f"{', '.join(project.meta.history) or 'none'})",
            copy_.path,
        )


def _registered(project: Project, symbol: DocumentSymbol) -> str:
    """Where the session's register puts ``symbol``'s document, for the message."""
    session = load_session(project.root)
    for entry in session.entries if session is not None else ():
        if entry.symbol.base == symbol.base and entry.folder:
            return f" (folder {entry.folder} in the session's register)"
    return ""


def _closest(
    project: Project,
    symbol: DocumentSymbol,
    commits: list[str],
    now: Path | None,
    built: dict[str, Path],
    rejected: list[Block],
    stack: ExitStack,
) -> Sent:
    """Of the versions of ``symbol`` (the sources ``now`` if given, then the commits, newest
    first; ``built``: commits already built), the one that reads most like the copy; the
    oldest of the closest."""
    if len(commits) > MAX_CANDIDATES:
        raise WcodocError(
            f"{symbol} was committed in {len(commits)} versions; name the one sent with --base "
            f"COMMIT (and tag it: git tag {symbol} COMMIT)",
            project.root,
        )
    best: tuple[int, int, Sent] | None = None
    versions: list[tuple[str, Path | str]] = [(f"{symbol} (sources now)", now)] if now is not None else []
    versions += [(f"{symbol} (commit {c[:7]})", built.get(c, c)) for c in commits]
    for age, (name, where) in enumerate(versions):
        base = read_base(resolve_docx(str(where), stack, cwd=project.root, project=project.root))
        distance = _distance(base.blocks, rejected)
        if best is None or (distance, -age) <= (best[0], -best[1]):
            best = (distance, age, Sent(base, name))
        if distance == 0 and where is not now:
            break  # read exactly as sent: an older one could only read the same
    assert best is not None
    return best[2]


def _distance(sent: list[Block], copy_: list[Block]) -> int:
    """How many blocks differ between two readings (footnotes included)."""
    steps = align(sent, copy_).steps
    return sum(
        1
        for s in steps
        if not isinstance(s, Pair)
        or s.op != "equal"
        or [n.compare for n in sent[s.old].notes] != [n.compare for n in copy_[s.new].notes]
    )


def _the_sources_now(
    project: Project, copy_: Returned, symbol: DocumentSymbol, now: Path, rejected: list[Block]
) -> Sent:
    """The sources now, when they read as the copy sent (or as the copy with its tracked
    changes accepted: applied before); else a refusal naming ``--base``."""
    base = read_base(now)
    if _built_from(copy_.path, now):
        return Sent(base, f"{symbol} (the sources now, as built into {copy_.path.name})")
    if _distance(base.blocks, rejected) == 0 or _distance(base.blocks, copy_.view(lambda el: True)) == 0:
        return Sent(base, f"{symbol} (the sources now; git has no version of it)", untracked=False)
    raise WcodocError(
        f"cannot tell what was sent: git has no version of {symbol}, and the sources differ from "
        "the copy (edits made since it was sent, or the Member's made without tracking?); name "
        f"what was sent with --base (the .docx sent, or a git revision; tag what you send: git tag {symbol})",
        copy_.path,
    )


def _built_from(returned: Path, now: Path) -> bool:
    """Whether ``returned`` is an output the build's record lists and the sources now build to
    exactly the bytes recorded for it (so it was built from them, and edited since)."""
    entry = OutputRecord(returned.parent).read().get(returned.name)
    return entry is not None and digest(now) in (entry.sha256, entry.pending)


class _History:
    """The git history of a project folder, if it is in a repository with commits (paths are
    given relative to the folder, where git runs)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.top = bool(self._git("rev-parse", "--show-toplevel"))

    def _git(self, *args: str) -> list[str]:
        try:
            done = subprocess.run(
                ["git", *args], cwd=self.root, capture_output=True, timeout=GIT_TIMEOUT, check=False
            )
        except FileNotFoundError:
            return []  # no git: no history
        except subprocess.TimeoutExpired:
            raise WcodocError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from None
        return done.stdout.decode("utf-8", "replace").splitlines() if done.returncode == 0 else []

    def tag(self, name: str) -> str | None:
        """``name`` if it is a tag of a commit."""
        if not self.top:
            return None
        return name if self._git("rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}") else None

    def commits_with(self, symbol: str) -> list[str]:
        """The commits (newest first, one per version of the folder) whose ``document.yaml``
        had ``reference: symbol``: the run of them in the history of the project folder."""
        found: list[str] = []
        trees: set[str] = set()
        for sha in self._git("log", "--format=%H", "--", "."):
            text = "\n".join(self._git("show", f"{sha}:./{DOCUMENT_YAML}"))
            try:
                data = parse_yaml(text, self.root / DOCUMENT_YAML) if text else None
            except WcodocError:
                data = None
            if not (isinstance(data, dict) and str(data.get("reference", "")).strip() == symbol):
                if found:
                    break  # the run is over: older commits are earlier versions
                continue
            tree = self.tree(sha)
            if tree and tree not in trees:
                trees.add(tree)
                found.append(sha)
        return found

    def tree(self, revision: str) -> str | None:
        """The tree of the project folder at ``revision``."""
        found = self._git("rev-parse", f"{revision}:./")
        return found[0] if found else None

    def dirty(self) -> bool:
        """Whether the project folder has changes not committed."""
        return bool(self._git("status", "--porcelain", "--", "."))
