"""The edition's pictures: copied beside the page, linked relatively, named stably."""

from __future__ import annotations

from pathlib import Path

import pytest

from wcodoc.errors import WcodocError
from wcodoc.render.html5.media import Pictures
from wcodoc.transform import pandocast


def _image(path: Path | str) -> dict:
    return {"t": "Image", "c": [pandocast.attr(), pandocast.text("alt"), [str(path), ""]]}


def _sources(blocks: list) -> list[str]:
    found: list[str] = []
    pandocast.walk(blocks, lambda node: found.append(node["c"][2][0]), only=("Image",))
    return found


def test_pictures_keep_their_names_two_of_one_name_numbered_the_same_one_once(tmp_path):
    first, second = tmp_path / "a" / "chart.png", tmp_path / "b" / "chart.png"
    for path, data in ((first, b"one"), (second, b"two")):
        path.parent.mkdir()
        path.write_bytes(data)
    spaced = tmp_path / "a" / "my chart.png"
    spaced.write_bytes(b"three")
    blocks = [pandocast.para([_image(first), _image(second), _image(first), _image(spaced)])]
    pictures = Pictures("PC0685Ea_files")
    relinked = pictures.relinked(blocks)
    assert _sources(relinked) == [
        "PC0685Ea_files/chart.png",
        "PC0685Ea_files/chart-2.png",
        "PC0685Ea_files/chart.png",
        "PC0685Ea_files/my%20chart.png",
    ]
    assert _sources(blocks) == [str(first), str(second), str(first), str(spaced)]  # unchanged
    folder = tmp_path / "build" / "PC0685Ea_files"
    folder.parent.mkdir()
    pictures.write(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        "chart.png": b"one",
        "chart-2.png": b"two",
        "my chart.png": b"three",
    }


def test_a_build_without_pictures_removes_the_folder_of_an_earlier_one(tmp_path):
    folder = tmp_path / "PC0685Ea_files"
    folder.mkdir()
    (folder / "old.png").write_bytes(b"old")
    Pictures(folder.name).write(folder)
    assert not folder.exists()


def test_what_is_no_local_file_is_left_as_it_is(tmp_path):
    blocks = [pandocast.para([_image("data:image/png;base64,AAAA"), _image(tmp_path / "gone.png")])]
    assert Pictures("X_files").relinked(blocks) is blocks


def test_a_file_where_the_folder_goes_is_an_error_naming_it(tmp_path):
    picture = tmp_path / "chart.png"
    picture.write_bytes(b"png")
    pictures = Pictures("X_files")
    pictures.relinked([pandocast.para([_image(picture)])])
    (tmp_path / "X_files").write_text("a note of the user's")
    with pytest.raises(WcodocError, match="cannot write the pictures") as caught:
        pictures.write(tmp_path / "X_files")
    assert caught.value.path == tmp_path / "X_files"
    assert (tmp_path / "X_files").read_text() == "a note of the user's"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
