"""Watch mode reacts to a saved change, and keeps going after an error (bounded in time)."""

from __future__ import annotations

import queue
import threading
import time

from wcodoc.workflow.watch import WatchEvent, watch_project

TIMEOUT = 60


def next_event(events: queue.Queue, kind: str) -> WatchEvent:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if event.kind == kind:
            return event
    raise AssertionError(f"no {kind!r} event within {TIMEOUT} s")


def test_rebuilds_on_save_and_survives_errors(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_project,
        args=(root, events.put),
        kwargs={"formats": ("docx",), "stop": stop},
        daemon=True,
    )
    thread.start()
    try:
        assert next_event(events, "built").fmt == "docx"
        docx = root / "build" / "PC0685Ea.docx"
        first = docx.read_bytes()

        time.sleep(0.5)  # let the watcher settle before the first change
        (root / "chapters" / "01.md").write_text("# A\n\nOne.\n\nSee @par:missing.\n")
        changed = next_event(events, "changed")
        assert [p.name for p in changed.paths] == ["01.md"]
        failed = next_event(events, "failed")
        assert "unknown reference '@par:missing'" in str(failed.error)
        assert docx.read_bytes() == first  # the failed build left the old output

        (root / "chapters" / "01.md").write_text("# A\n\nOne.\n\nTwo.\n")
        next_event(events, "changed")
        next_event(events, "built")
        assert docx.read_bytes() != first
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_keeps_running_after_hundreds_of_nested_quotes(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_project,
        args=(root, events.put),
        kwargs={"formats": ("docx",), "stop": stop},
        daemon=True,
    )
    thread.start()
    try:
        next_event(events, "built")
        time.sleep(0.5)
        (root / "chapters" / "01.md").write_text("# A\n\n" + "> " * 500 + "deep\n")
        failed = next_event(events, "failed")
        assert "nested too deeply" in str(failed.error)
        (root / "chapters" / "01.md").write_text("# A\n\nOne again.\n")
        next_event(events, "built")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
