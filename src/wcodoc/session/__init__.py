"""A committee session's folder: its creation (``init``), its documents' state and builds
(``documents``), what ``session list`` shows (``listing``) and translations behind their
original (``translations``). The configuration (``session.yaml``, the register) is read by
:mod:`wcodoc.load.sessionconfig`, since loading a project needs it."""
