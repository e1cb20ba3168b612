"""A committee session's folder and all its documents, one module per job:

- ``register``: the symbol a new document gets and its record in ``session.yaml``
  (``allocate``, ``record``, under ``locked``; used by ``wcodoc new``);
- ``init``: ``create_session`` (``session init``: ``session.yaml``, ``.gitignore``,
  ``templates/``);
- ``documents``: each document's state and the session build (``session_status``,
  ``build_session``: ``session build``);
- ``listing``: ``list_session`` (``session list``: the documents, reservations, duplicates,
  misplaced projects);
- ``translations``: ``translation_status`` and ``mark_followed`` (``session status``,
  ``session follow``).

:func:`open_session` finds the session around a folder. Reading and validating
``session.yaml`` is :mod:`wcodoc.load.sessionconfig`'s, since loading a project needs it.
"""

from __future__ import annotations

from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.sessionconfig import Session, load_session


def open_session(folder: Path) -> Session:
    """The session whose folder is ``folder`` or encloses it, its ``session.yaml`` validated."""
    session = load_session(folder, HouseStyle().prefixes)
    if session is None:
        raise WcodocError("not inside a session folder: no session.yaml here or above", folder)
    return session
