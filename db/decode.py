"""Read an article file's bytes and decode them honestly: UTF-8 (with or without BOM), UTF-16 with
a BOM, else Windows-1252. Binary files are refused with a reason, not guessed at."""

from __future__ import annotations

from pathlib import Path

from db.errors import IngestError

MAX_BYTES = 64 * 1024 * 1024
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return sample.count(0) > len(sample) // 20 or controls > len(sample) // 10


def decode_bytes(data: bytes, where: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(f"{where}: starts with a {encoding} byte-order mark but is not {encoding}") from None
    if _looks_binary(data):
        raise IngestError(f"{where}: binary file, not text")
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(path: Path) -> str:
    """The decoded text of an article file; IngestError names the file and what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"{path}: {size // (1024 * 1024)} MB is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for one article")
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: file vanished before it could be read") from None
    except PermissionError:
        raise IngestError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a directory") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    return decode_bytes(data, str(path))
