"""Spill files (``run/cluster/spill.py``): a block's results written as they come, read back
in order, the texts of chosen articles read alone, removed with the block and the run.

No Ray here: ``test_executor.py`` runs a whole run through them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.model import Article, Failure
from wirewatch.run.cluster.spill import (
    SpillWriter,
    make_work_folder,
    read_spill,
    remove_spill,
    remove_work_folder,
    spill_path,
    spill_texts,
)

RESULTS: list[Article | Failure] = [
    Article(text="First text.", source="a.warc@1", url="https://a.example/1"),
    Failure("a.warc@2", "extract", "no_text", "nothing"),
    Article(text="Third text.", source="a.warc@3", url="https://a.example/3"),
]


def test_a_block_is_read_back_as_it_was_written(tmp_path: Path) -> None:
    folder = make_work_folder(str(tmp_path))
    assert Path(folder).parent == tmp_path and list(Path(folder).iterdir()) == []
    with SpillWriter(folder, 7) as spill:
        for result in RESULTS:
            spill.add(result)
    assert spill.path == spill_path(folder, 7) and spill.count == 3
    back = list(read_spill(spill.path))
    assert back == RESULTS
    assert [r.id for r in back if isinstance(r, Article)] == [
        r.id for r in RESULTS if isinstance(r, Article)
    ]
    assert spill_texts(spill.path, [2]) == {2: "Third text."}
    assert spill_texts(spill.path, [0, 1]) == {0: "First text."}  # a failure has no text
    remove_spill(spill.path)
    remove_spill(spill.path)  # gone already: nothing to do
    assert not Path(spill.path).exists()
    with SpillWriter(folder, 8) as left:  # a block that failed leaves its file
        left.add(RESULTS[0])
    remove_work_folder(folder)
    assert not Path(folder).exists()
    remove_work_folder(folder)


def test_the_work_folder_defaults_to_a_temporary_one_and_takes_fsspec_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    local = make_work_folder()
    assert Path(local).parent == tmp_path / "tmp"
    remove_work_folder(local)
    url = make_work_folder("memory://spill")
    assert url.startswith("memory://") and "/spill/wirewatch-ray-" in url
    with SpillWriter(url, 0) as spill:
        spill.add(RESULTS[2])
    assert list(read_spill(spill.path)) == [RESULTS[2]]
    remove_work_folder(url)
    with pytest.raises(FileNotFoundError):
        list(read_spill(spill.path))
