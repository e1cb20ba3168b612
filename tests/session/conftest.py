"""The session tests' fixtures: a plain session folder, and one kept in git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.session.folders import git_session, plain_session


@pytest.fixture
def session_dir(tmp_path) -> Path:
    """A session folder with two documents (see :func:`plain_session`)."""
    return plain_session(tmp_path)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A session folder inside a git repository, one document committed (see :func:`git_session`)."""
    return git_session(tmp_path)
