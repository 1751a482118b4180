"""Ingest stays inside the archive: symbolic links that lead out of the folders given are reported
with their target and not followed (unless --follow-links); links inside it are read once."""

from __future__ import annotations

import os
from pathlib import Path

from dprk_tui.db.ingest import FileProblem, discover
from tests.cli import run_cli


def archive(tmp_path: Path) -> Path:
    """archive/ with a file, a folder, a link inside it, and links to a sibling folder, to / and to
    a file outside; other/ beside it."""
    root = tmp_path / "archive"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Kim Jong Un met Vladimir Putin in Vladivostok on Thursday.\n")
    (root / "sub" / "b.txt").write_text("Xi Jinping met Kim Jong Un in Beijing on Tuesday.\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "private.txt").write_text("My own notes, not part of the archive.\n")
    os.symlink(root / "sub", root / "inside")
    os.symlink(other, root / "sibling")
    os.symlink("/", root / "everything")
    os.symlink(other / "private.txt", root / "outside.txt")
    return root


def test_links_out_of_the_archive_are_reported_not_followed(tmp_path: Path) -> None:
    root = archive(tmp_path)
    found = list(discover([root]))
    files = sorted(str(item.relative_to(root)) for item in found if isinstance(item, Path))
    assert files == ["a.txt", "sub/b.txt"] or files == ["a.txt", "inside/b.txt"]
    problems = {Path(item.path).name: item.reason for item in found if isinstance(item, FileProblem)}
    assert set(problems) == {"sibling", "everything", "outside.txt"}
    assert problems["sibling"].startswith(f"symbolic link to a folder outside the archive ({tmp_path / 'other'})")
    assert problems["everything"].startswith("symbolic link to a folder outside the archive (/)")
    assert problems["outside.txt"].startswith(
        f"symbolic link to a file outside the archive ({tmp_path / 'other' / 'private.txt'}), refused")


def test_follow_links_takes_them(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / "everything").unlink()  # following / would read the whole machine
    found = list(discover([root], follow_links=True))
    assert not [item for item in found if isinstance(item, FileProblem)]
    targets = sorted(item.resolve().name for item in found if isinstance(item, Path))
    assert targets == ["a.txt", "b.txt", "private.txt"]  # other/private.txt once, by either link


def test_two_roots_are_one_archive(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / "everything").unlink()
    found = list(discover([root, tmp_path / "other"]))
    assert not [item for item in found if isinstance(item, FileProblem)]
    assert sorted(item.resolve().name for item in found if isinstance(item, Path)) == ["a.txt", "b.txt", "private.txt"]


def test_the_command_line_names_each_link_and_ingests_the_rest(tmp_path: Path) -> None:
    root = archive(tmp_path)
    store = tmp_path / "store.db"
    result = run_cli("ingest", root, "--db", store)
    assert result.returncode == 1, result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 3 and all("outside the archive" in line for line in failed)
    assert "added 2, duplicates skipped 0, failed 3" in result.stderr
    exported = run_cli("export", "documents", "--db", store)
    assert "My own notes" not in exported.stdout
