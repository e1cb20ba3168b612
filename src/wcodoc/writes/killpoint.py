"""Named points where a test interrupts wcodoc — for the tests only.

``WCODOC_TEST_KILL_AT=apply:after-first-rename`` makes the process send itself ``SIGKILL``
when it reaches that point (``…#2``: the second time it does), ``WCODOC_TEST_KILL_SIGNAL=STOP``
or ``INT`` another signal, so that a test can check what an interruption at that exact moment
leaves behind. Without the variable :func:`reached` is a function that returns at once. The
points are listed in ``docs/guarantees.md``.
"""

from __future__ import annotations

import itertools
import os
import signal

_POINT, _, _NTH = os.environ.get("WCODOC_TEST_KILL_AT", "").partition("#")
_SIGNAL = os.environ.get("WCODOC_TEST_KILL_SIGNAL", "KILL")
_passes = itertools.count(1)


def _passed(point: str) -> None:
    """No test asked for an interruption."""


def _interrupt_at(point: str) -> None:
    if point == _POINT and next(_passes) == int(_NTH or 1):
        os.kill(os.getpid(), getattr(signal, f"SIG{_SIGNAL}"))


reached = _interrupt_at if _POINT else _passed
"""``reached("apply:after-first-rename")``: the command is at that point."""
