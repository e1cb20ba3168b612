"""Writes that must not be lost or left half-done.

- :mod:`~wcodoc.writes.lock`: one command at a time changes a project or a session;
- :mod:`~wcodoc.writes.journal`: the files of one command staged, then renamed into place, so
  that a command killed at any point is finished by running it again;
- :mod:`~wcodoc.writes.built`: the record of what each build wrote, so a hand edit of a
  built file is never overwritten without a word;
- :mod:`~wcodoc.writes.killpoint`: named points where the tests interrupt a command.
"""
