"""The house style: committee table, printed terms per language, vocabularies, Word template.

The built-in data lives in ``wcodoc/templates/``. A project may override any of it with a
file of the same name in its ``templates/`` folder; YAML files are merged key by key over the
built-in ones, so a Secretariat can correct one French term without copying the rest.

Each YAML file is checked against its shape (:data:`SHAPES`) when it is first read, the
built-in file and the project's override alike: a wrong value gives
``templates/labels-en.yaml:3: footer_notice: expected text or a list of texts, got 5``, every
problem of the file at once, rather than a failure deep inside the build.

*Terms* are the printed wording of one language (``Action required of the {committee}``).
Their files keep the names projects already override, ``labels-en.yaml`` and
``labels-fr.yaml`` (see :func:`terms_file`); in the code, *labels* are cross-reference
targets only (``[]{#par:x}``, ``@par:x``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems, WcodocError
from wcodoc.load.messages import describe
from wcodoc.load.metadata import MEETINGS, DocumentMeta
from wcodoc.load.schema import Choice, Fields, Flag, Lines, Shape, Table, Text, check_shape, text_key
from wcodoc.load.symbol import LANGUAGES, PREFIX
from wcodoc.load.yamlio import load_yaml

BUILTIN_DIR = Path(__file__).parent.parent / "templates"
REFERENCE_DOCX = "reference.docx"
COMMITTEES_YAML = "committees.yaml"
VOCABULARIES_YAML = "vocabularies.yaml"
LOCALES = tuple(LANGUAGES.values())
ANNEX_PAGE_NUMBERS = ("continuous", "per-annex")
"""How annex pages are numbered: on from the body, or afresh in each annex (``I/1.``)."""


def terms_file(locale: str) -> str:
    """The file of the terms in ``locale``: ``labels-en.yaml``.

    The file name is older than the word *terms* in the code, and stays: the documentation
    tells the Secretariat to correct ``templates/labels-fr.yaml``, and projects do.
    """
    return f"labels-{locale}.yaml"


# --- the shape of each file -------------------------------------------------------------------


def _prefix_problem(key: Any) -> str | None:
    if isinstance(key, str) and re.fullmatch(PREFIX, key):
        return None
    return f"key {describe(key)}: expected a body prefix of two capital letters, such as PC"


def _number_problem(key: Any) -> str | None:
    # YAML gives ``11: th`` an int key and ``'11': th`` a text key; the cover reads both.
    if (isinstance(key, int) and not isinstance(key, bool)) or (isinstance(key, str) and key.isdigit()):
        return None
    return f"key {describe(key)}: expected a number"


_NAMES = Fields(
    {"name": Text(), "abbr": Text()},
    required=("name", "abbr"),
    example="{name: Permanent Technical Committee, abbr: PTC}",
)
COMMITTEES = Table(
    Fields(
        {
            **{locale: _NAMES for locale in LOCALES},
            # Bodies that meet in paired sessions (235th/236th); the cover takes the session
            # numbers from document.yaml, so this is for the reader of the table.
            "paired_sessions": Flag(),
        },
        example="{en: {name: …, abbr: …}, fr: {name: …, abbr: …}}",
    ),
    key_problem=_prefix_problem,
)
"""``committees.yaml``: body prefix (``PC``) → its name and abbreviation per language."""

_ORDINAL_SUFFIXES = Table(Text(), key_problem=_number_problem, example="{1: st, 2: nd}")
# Ordinal suffixes: an exact number first, then the last two digits, then the last digit.
_ORDINAL_RULES = Fields(
    {
        "exact": _ORDINAL_SUFFIXES,
        "last_two": _ORDINAL_SUFFIXES,
        "last_one": _ORDINAL_SUFFIXES,
        "other": Text(),
    },
    required=("exact", "last_two", "last_one", "other"),
)
_TERM_SHAPES: dict[str, Shape] = {
    "letterhead": Lines(),
    "meeting": Fields({m: Text(optional=True) for m in MEETINGS}, required=MEETINGS),
    # Ordinal suffixes: an exact number first, then the last two digits, then the last digit.
    "ordinals": _ORDINAL_RULES,
    "session_one": Text(("first",)),
    "session_two": Text(("first", "second")),
    # Babel date patterns: one date, and the two ends of a range.
    "date": Text(),
    "date_range_same_month": Lines(count=2),
    "date_range_same_year": Lines(count=2),
    "date_range_other_year": Lines(count=2),
    "range_separator_same_month": Text(),
    "range_separator": Text(),
    "issued": Text(("place", "date")),
    "agenda_item": Text(("item",)),
    "subtitle": Text(("subtitle",)),
    "summary": Text(),
    "purpose": Text(),
    "action": Text(("committee", "abbr")),
    "separator": Lines(),
    "end_mark": Lines(),
    "header": Text(("symbol",)),
    "footer_notice": Lines(placeholders=("year",)),
    "annex_heading": Text(("symbol",)),
    "annex_title": Text(()),
    "use_case_heading": Text(("number", "title")),
    # One title per column of the annex's overview table (transform.annex.OVERVIEW_COLUMNS).
    "use_case_table": Lines(count=6),
    "use_case_meta": Text(("member", "region", "technologies", "status", "year")),
    # The four sections of a use case, in order; `usecases import` maps headings onto them.
    "use_case_sections": Lines(count=4),
    "use_case_contact": Text(("contact",)),
    "use_case_sources": Text(("sources",)),
    # Place names as printed in the language: Brussels → Bruxelles.
    "places": Table(Text(), key_problem=text_key),
    # The first day of a month in dates (French 1er); null: as the date pattern writes it.
    "first_day": Text(optional=True),
    # Whether the letters of first_day are raised (French 1er with "er" as a superscript).
    "first_day_raised": Flag(),
    # Named sets of ordinal rules (French long 235ème, short 235e) and the one in use;
    # ordinal_style null: the ordinals above.
    "ordinal_style": Text(optional=True),
    "ordinal_styles": Table(_ORDINAL_RULES, key_problem=text_key),
    # French spacing: no-break spaces before ; : ! ?, inside « », after numbers before units.
    "french_spacing": Flag(),
    # Captions of numbered tables and figures.
    "table_caption": Text(("number", "caption")),
    "figure_caption": Text(("number", "caption")),
    # Several annexes: Annex I, Annex II …; their pages numbered on (continuous) or I/1, I/2 ….
    "annex_heading_numbered": Text(("number", "symbol")),
    "annex_page_numbers": Choice(ANNEX_PAGE_NUMBERS),
    # A session report: its title (one session or two), the dates under it, and the table of
    # agenda items (its three column titles, an item's and a sub-item's number, a range).
    "report_title_one": Text(("sessions", "committee")),
    "report_title_two": Text(("sessions", "committee")),
    "report_dates": Text(("dates",)),
    "report_range_separator_same_month": Text(),
    "report_items": Lines(count=3),
    "report_item": Text(("number",)),
    "report_sub_item": Text(("letter",)),
    "report_range": Text(("first", "last")),
    # The HTML edition's table of contents: its heading.
    "contents": Text(()),
}
TERMS = Fields(_TERM_SHAPES, required=tuple(_TERM_SHAPES))
"""``labels-<locale>.yaml``: the printed terms; ``{name}`` placeholders are filled by wcodoc."""

_VOCABULARY = Table(
    Fields({locale: Text() for locale in LOCALES}, example="{en: Europe, fr: Europe}"),
    key_problem=text_key,
    example="{europe: {en: Europe, fr: Europe}}",
)
VOCABULARIES = Fields(
    {"regions": _VOCABULARY, "technologies": _VOCABULARY, "statuses": _VOCABULARY},
    required=("regions", "technologies", "statuses"),
)
"""``vocabularies.yaml``: the keys use cases may write, each with its name per language."""

SHAPES: dict[str, Shape] = {
    COMMITTEES_YAML: COMMITTEES,
    VOCABULARIES_YAML: VOCABULARIES,
    **{terms_file(locale): TERMS for locale in LOCALES},
}
"""House-style YAML file → its shape."""


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Committee:
    """A WCO body named by its symbol prefix."""

    prefix: str
    name: str
    """Full name in the document's language, e.g. ``Permanent Technical Committee``."""
    abbr: str
    """Abbreviation, e.g. ``PTC``."""


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value)
        return merged
    return override


def _read(path: Path, shape: Shape, base: Any, problems: Problems) -> Any:
    """``path`` checked against ``shape`` (over ``base``); its problems appended."""
    try:
        data = load_yaml(path)
    except WcodocError as exc:
        problems.error(exc.message, exc.path or path, exc.line, code="yaml")
        return {}
    # An override holding only comments changes nothing.
    return check_shape({} if data is None else data, shape, path, problems, base)


@dataclass
class HouseStyle:
    """House-style data for one project (built-in data with the project's overrides)."""

    templates_dir: Path | None = None
    """The project's ``templates/``: wins over the session's and the built-in data."""
    session_dir: Path | None = None
    """The session folder's ``templates/``: applies to every document of the session."""
    _cache: dict[str, tuple[Any, Problems]] = field(default_factory=dict, repr=False)

    def _overrides(self, name: str) -> list[Path]:
        """Files overriding built-in ``name``, weakest first (session, then project)."""
        folders = [d for d in (self.session_dir, self.templates_dir) if d is not None]
        return [d / name for d in folders if (d / name).is_file()]

    def _path(self, name: str) -> Path:
        return ([BUILTIN_DIR / name, *self._overrides(name)])[-1]

    def _load(self, name: str) -> tuple[Any, Problems]:
        if name not in self._cache:
            problems = Problems()
            data = _read(BUILTIN_DIR / name, SHAPES[name], None, problems)
            for override in self._overrides(name):
                data = _merge(data, _read(override, SHAPES[name], data, problems))
            self._cache[name] = (data, problems)
        return self._cache[name]

    def data(self, name: str) -> Any:
        """The merged content of house-style YAML file ``name`` (a key of :data:`SHAPES`).

        Raises :class:`WcodocError` with every problem of the built-in file and the override.
        """
        data, problems = self._load(name)
        problems.raise_if_errors()
        return data

    def check(self, problems: Problems, meta: DocumentMeta | None = None) -> None:
        """Append the problems of the files a build reads, and whether they know ``meta``'s body.

        Without ``meta`` (its metadata has errors) the terms, which depend on its language,
        are left out.
        """
        names = [COMMITTEES_YAML, VOCABULARIES_YAML, *([terms_file(meta.locale)] if meta else [])]
        for name in names:
            problems.extend(self._load(name)[1])
        if meta is None or self._load(COMMITTEES_YAML)[1]:
            return
        prefix, where = meta.symbol.prefix, meta.lines["reference"]
        if prefix not in self.prefixes:
            problems.error(
                f"reference: unknown body prefix {prefix!r}; known prefixes: "
                f"{', '.join(self.prefixes)} (add it to templates/{COMMITTEES_YAML})",
                *where,
                code="meta",
            )
            return
        names_here = self.data(COMMITTEES_YAML)[prefix].get(meta.locale) or {}
        if not (names_here.get("name") and names_here.get("abbr")):
            problems.error(
                f"house style: {COMMITTEES_YAML} has no name and abbr for {prefix!r} "
                f"in language {meta.locale!r}",
                *where,
                code="style",
            )

    @property
    def reference_docx(self) -> Path:
        """The Word template (styles and numbering) pandoc writes with."""
        return self._path(REFERENCE_DOCX)

    def files(self) -> list[Path]:
        """Every house-style file in use (for cache keys and up-to-date checks)."""
        names = [
            COMMITTEES_YAML,
            *(terms_file(locale) for locale in LOCALES),
            VOCABULARIES_YAML,
            REFERENCE_DOCX,
        ]
        return [path for n in names for path in (BUILTIN_DIR / n, *self._overrides(n))]

    def terms(self, locale: str) -> dict[str, Any]:
        """The printed terms and conventions of ``locale`` (``en`` or ``fr``)."""
        return self.data(terms_file(locale))

    def committee(self, prefix: str, locale: str) -> Committee:
        """The body named by ``prefix``; raises ``KeyError`` when the table lacks it."""
        names = self.data(COMMITTEES_YAML)[prefix][locale]
        return Committee(prefix, str(names["name"]), str(names["abbr"]))

    @property
    def prefixes(self) -> list[str]:
        return sorted(self.data(COMMITTEES_YAML))

    @cached_property
    def vocabularies(self) -> dict[str, Any]:
        return self.data(VOCABULARIES_YAML)

    def vocabulary(self, name: str) -> dict[str, dict[str, str]]:
        """A controlled vocabulary (``regions``, ``technologies``, ``statuses``): key → names."""
        return {str(k): dict(v) for k, v in self.vocabularies[name].items()}

    def display_name(self, vocabulary: str, key: str, locale: str) -> str:
        """The display name of ``key`` in ``locale`` (the key itself when unknown)."""
        entry = self.vocabulary(vocabulary).get(key)
        return str(entry.get(locale) or entry.get("en")) if entry else key
