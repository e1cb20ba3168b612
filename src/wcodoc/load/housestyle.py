"""The house style: committee table, labels per language, vocabularies, Word template.

The built-in data lives in ``wcodoc/templates/``. A project may override any of it with a
file of the same name in its ``templates/`` folder; YAML files are merged key by key over the
built-in ones, so a Secretariat can correct one French label without copying the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from wcodoc.errors import WcodocError
from wcodoc.load.yamlio import line_of, load_yaml

BUILTIN_DIR = Path(__file__).parent.parent / "templates"
REFERENCE_DOCX = "reference.docx"


@dataclass(frozen=True)
class Committee:
    """A WCO body named by its symbol prefix."""

    prefix: str
    name: str
    """Full name in the document's language, e.g. ``Permanent Technical Committee``."""
    abbr: str
    """Abbreviation, e.g. ``PTC``."""
    paired_sessions: bool = False


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value)
        return merged
    return override


@dataclass
class HouseStyle:
    """House-style data for one project (built-in data with the project's overrides)."""

    templates_dir: Path | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _path(self, name: str) -> Path:
        if self.templates_dir is not None and (self.templates_dir / name).is_file():
            return self.templates_dir / name
        return BUILTIN_DIR / name

    def data(self, name: str) -> Any:
        """The merged content of house-style YAML file ``name``."""
        if name not in self._cache:
            base = load_yaml(BUILTIN_DIR / name)
            override_path = self.templates_dir / name if self.templates_dir else None
            if override_path is not None and override_path.is_file():
                override = load_yaml(override_path)
                if not isinstance(override, dict):
                    raise WcodocError("expected a mapping of keys", override_path, line_of(override))
                base = _merge(base, override)
            self._cache[name] = base
        return self._cache[name]

    @property
    def reference_docx(self) -> Path:
        """The Word template (styles and numbering) pandoc writes with."""
        return self._path(REFERENCE_DOCX)

    def files(self) -> list[Path]:
        """Every house-style file in use (for cache keys and up-to-date checks)."""
        names = ["committees.yaml", "labels-en.yaml", "labels-fr.yaml", "vocabularies.yaml", REFERENCE_DOCX]
        paths = [BUILTIN_DIR / n for n in names]
        if self.templates_dir is not None:
            paths += [self.templates_dir / n for n in names if (self.templates_dir / n).is_file()]
        return paths

    def labels(self, locale: str) -> dict[str, Any]:
        """Labels and conventions for ``locale`` (``en`` or ``fr``)."""
        return self.data(f"labels-{locale}.yaml")

    def committee(self, prefix: str, locale: str) -> Committee:
        """The body named by ``prefix``; raises ``KeyError`` when the table lacks it."""
        entry = self.data("committees.yaml")[prefix]
        names = entry[locale]
        return Committee(prefix, str(names["name"]), str(names["abbr"]), bool(entry.get("paired_sessions")))

    @property
    def prefixes(self) -> list[str]:
        return sorted(self.data("committees.yaml"))

    @cached_property
    def vocabularies(self) -> dict[str, Any]:
        return self.data("vocabularies.yaml")

    def vocabulary(self, name: str) -> dict[str, dict[str, str]]:
        """A controlled vocabulary (``regions``, ``technologies``, ``statuses``): key → names."""
        return {str(k): dict(v) for k, v in self.vocabularies[name].items()}

    def display_name(self, vocabulary: str, key: str, locale: str) -> str:
        """The display name of ``key`` in ``locale`` (the key itself when unknown)."""
        entry = self.vocabulary(vocabulary).get(key)
        return str(entry.get(locale) or entry.get("en")) if entry else key
