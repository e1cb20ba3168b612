"""The numbering part (``word/numbering.xml``): list levels, and the numbers Word shows, counted.

Word stores no paragraph numbers; it counts them while laying out. This module counts the
same way for the cases wcodoc and ordinary documents use (a paragraph's list, from its
``w:numPr`` or its style chain, is :meth:`wcodoc.ooxml.styles.Styles.num_pr`'s): counters
shared by every ``w:num`` of one abstract list, ``w:startOverride``, and ``w:lvlRestart``
(deeper levels restart when a shallower one is used, unless told not to).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from wcodoc.ooxml import qn, val

NUMBERING_PART = "word/numbering.xml"


@dataclass(frozen=True)
class Level:
    """One level of an abstract list: where it starts, how it looks, when it restarts."""

    start: int = 1
    fmt: str = "decimal"
    restart: int | None = None
    """One-based level whose use restarts this one; ``None`` = the previous level; 0 = never."""
    indent: etree._Element | None = field(default=None, compare=False)
    """The level's ``w:pPr/w:ind`` (where its number and text stand), if it has one."""


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


@dataclass
class Numbering:
    """The list definitions of a document, plus the running counters while reading it."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    _counters: dict[str, dict[int, int]] = field(default_factory=dict)
    _started: set[str] = field(default_factory=set)
    _plans: dict[tuple[str, int], _Plan | None] = field(default_factory=dict, repr=False, compare=False)
    """How a paragraph at each level of each abstract list is counted, worked out once."""

    @classmethod
    def read(cls, root: etree._Element | None) -> Numbering:
        """Parse ``numbering.xml`` (``None`` when the document has none)."""
        numbering = cls()
        if root is None:
            return numbering
        for an in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in an.iterchildren(qn("w:lvl")):
                restart = lvl.find(qn("w:lvlRestart"))
                levels[_int(lvl.get(qn("w:ilvl")), 0)] = Level(
                    start=_int(val(lvl.find(qn("w:start"))), 1),
                    fmt=val(lvl.find(qn("w:numFmt")), "decimal") or "decimal",
                    restart=None if restart is None else _int(val(restart), 0),
                    indent=lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}"),
                )
            if (abstract_id := an.get(qn("w:abstractNumId"))) is not None:
                numbering.abstract[abstract_id] = levels
        for num in root.iterchildren(qn("w:num")):
            overrides = {}
            for ov in num.iterchildren(qn("w:lvlOverride")):
                start = ov.find(qn("w:startOverride"))
                if start is not None:
                    overrides[_int(ov.get(qn("w:ilvl")), 0)] = _int(val(start), 1)
            num_id, abstract_id = num.get(qn("w:numId")), val(num.find(qn("w:abstractNumId")))
            if num_id is not None and abstract_id is not None:  # else no list to count in
                numbering.nums[num_id] = (abstract_id, overrides)
        return numbering

    def reset(self) -> None:
        """Forget the counters (before reading another copy of the same body)."""
        self._counters.clear()
        self._started.clear()

    def level(self, num_id: str, ilvl: int) -> Level | None:
        """The level definition a paragraph with ``num_id``/``ilvl`` uses, if any."""
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        return self.abstract.get(entry[0], {}).get(ilvl)

    def count(self, num_id: str, ilvl: int) -> list[tuple[int, str]] | None:
        """Advance the counter of ``ilvl`` and return (value, format) of levels 0..ilvl."""
        entry = self.nums.get(num_id)
        if entry is None or entry[0] not in self.abstract:
            return None
        abstract_id, overrides = entry
        key = (abstract_id, ilvl)
        if key not in self._plans:
            self._plans[key] = _Plan.of(self.abstract[abstract_id], ilvl)
        plan = self._plans[key]
        if plan is None:
            return None
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, plan.start - 1) + 1
        for deeper in plan.restarted:
            counters.pop(deeper, None)
        return [(counters.get(k, start), fmt) for k, start, fmt in plan.levels]


@dataclass(frozen=True)
class _Plan:
    """How :meth:`Numbering.count` counts a paragraph at one level of an abstract list."""

    start: int
    """Where the level starts."""
    restarted: tuple[int, ...]
    """The deeper levels that start again after it."""
    levels: tuple[tuple[int, int, str], ...]
    """Level, start and format of the levels the number shows (0 to the paragraph's)."""

    @classmethod
    def of(cls, levels: dict[int, Level], ilvl: int) -> _Plan | None:
        """The plan for level ``ilvl`` of the abstract list of ``levels`` (``None``: not defined)."""
        if ilvl not in levels:
            return None
        restarted = tuple(
            deeper for deeper, level in levels.items() if deeper > ilvl and _restarts(level, deeper, ilvl)
        )
        shown = tuple((k, levels.get(k, Level()).start, levels.get(k, Level()).fmt) for k in range(ilvl + 1))
        return cls(levels[ilvl].start, restarted, shown)


def _restarts(level: Level, depth: int, used: int) -> bool:
    restart = depth if level.restart is None else level.restart
    return restart != 0 and used <= restart - 1
