"""Read an article file's bytes and decode them honestly, or refuse the file with a reason.

The policy (README, "Ingest"), in the order it is applied:

- only regular files are read: a FIFO, device or socket named `.txt` is refused without a blocking
  read; a file larger than `MAX_FILE_BYTES` is refused unread (no article is that long: see
  `db.ingest.MAX_ARTICLE_CHARS`), and at most that many bytes are read even if the file grows;
- empty and whitespace-only files are refused;
- a byte-order mark decides: UTF-8, UTF-16 LE/BE (a few undecodable units become U+FFFD; many
  refuse the file);
- files that start like an image, archive, document or executable are refused, naming the type;
- UTF-16 without a BOM is recognised by its NUL bytes in every other position;
- NUL padding at the end is dropped; a file with many control bytes is binary and refused;
  stray NUL bytes inside text are dropped;
- UTF-8; mostly-UTF-8 with a few broken sequences (U+FFFD for each); else Windows-1252 (which
  covers Latin-1) when it reads as Western text; else refused as an unknown encoding.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dprk_tui.db.errors import IngestError

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest article file read, in bytes (ten times the longest article allowed, for page clutter)."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Signatures of files that are never article text, and what to call them in the reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office/EPUB document)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "executable (ELF)"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
)
# Bytes that do not occur in text: C0 controls other than BEL, backspace, tab, newline, VT, FF, CR
# and ESC (all found in terminal captures and overstruck text; normalize_text removes them), and DEL.
_BINARY_BYTES = bytes([*range(0, 7), *range(14, 27), *range(28, 32), 127])
_TEXT_BYTES = bytes(byte for byte in range(256) if byte not in _BINARY_BYTES)
_HIGH_BYTES = bytes(range(128, 256))
MAX_CONTROL_RATIO = 0.02
"""More control bytes than this share of a file (and more than 4) makes it binary; random or
compressed bytes have about 9 %."""
MAX_HIGH_RATIO = 0.3
"""A file that is not UTF-8 and has more bytes >= 0x80 than this share is not Western text."""


def _kind_of(data: bytes) -> str | None:
    """What a binary file's signature says it is, or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[257:262] == b"ustar":
        return "tar archive"
    if data[4:8] == b"ftyp":
        return "MP4/MOV video"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF media file"
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "bzip2 archive"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes are UTF-16 of mostly ASCII-range text, else None."""
    sample = data[:65536]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul >= 0.9 * half and even_nul <= 0.1 * half:
        return "utf-16-le"
    if even_nul >= 0.9 * half and odd_nul <= 0.1 * half:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, encoding: str, where: str, how: str) -> str:
    """UTF-16 text; a few broken code units become U+FFFD, more than 1 % refuse the file."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > max(1, len(text) // 100):
        raise IngestError(f"{where}: {how} but is not valid {encoding.upper()}")
    return text


def decode_bytes(data: bytes, where: str) -> str:
    """Decode a file's bytes by the policy above; IngestError names `where` and the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                return data.decode(encoding, errors="replace")
            return _decode_utf16(data[len(bom):], encoding, where, "starts with a UTF-16 byte-order mark")
    kind = _kind_of(data)
    if kind:
        raise IngestError(f"{where}: binary file, not text ({kind})")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_utf16(data, utf16, where, "looks like UTF-16 without a byte-order mark")
    data = data.rstrip(b"\x00")
    if not data.strip():
        raise IngestError(f"{where}: empty file (only NUL bytes and spaces)")
    controls = len(data) - len(data.translate(None, _BINARY_BYTES))
    if controls > max(4, MAX_CONTROL_RATIO * len(data)):
        raise IngestError(f"{where}: binary file, not text ({100 * controls // len(data)}% control bytes)")
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for char in text if ord(char) > 127) - broken
    if multibyte >= broken:
        return text  # UTF-8 with a few broken sequences (a cut or a splice), each now U+FFFD
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high > MAX_HIGH_RATIO * len(data):
        raise IngestError(
            f"{where}: neither UTF-8 nor Windows-1252 text ({100 * high // len(data)}% of bytes"
            " above 0x7F): unknown encoding, convert it to UTF-8"
        )
    return data.decode("cp1252", errors="replace")


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; IngestError (naming the file and the
    reason) for anything else. Never blocks on a FIFO or device, never reads more than `limit`."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(f"{path}: {_file_type(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            size, most = _size(info.st_size), _size(limit)
            if size == most:  # "2.0 MB is larger than the 2.0 MB limit" says nothing: in bytes
                size, most = f"{info.st_size:,} bytes", f"{limit:,}-byte"
            raise IngestError(f"{path}: {size} is larger than the {most} limit for one article file")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):  # swapped for something else since the stat
                raise IngestError(f"{path}: {_file_type(info.st_mode)}, not a regular file")
            data = stream.read(limit + 1)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise IngestError(f"{path}: broken symbolic link (its target does not exist)") from None
        raise IngestError(f"{path}: file vanished before it could be read") from None
    except PermissionError:
        raise IngestError(f"{path}: permission denied") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise IngestError(f"{path}: grew past the {_size(limit)} limit for one article file while being read")
    return data


def read_text(path: Path) -> str:
    """The decoded text of an article file; IngestError names the file and what is wrong."""
    data = read_bytes(path)
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    return decode_bytes(data, str(path))
