"""``wcodoc`` run in-process as the tests of the diff run it: exit status, output, errors."""

from __future__ import annotations

import pytest

from wcodoc.cli import main


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """Run ``wcodoc ARGS``; return its exit status, standard output and standard error."""
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err
