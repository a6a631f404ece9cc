"""Which encoding a CSV file from Excel is in, and its text as UTF-8 bytes.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"),
UTF-32 with BOM and Windows-1252 (Danish Excel's plain "CSV"; the reader
warns). A file that is not text at all (an Excel workbook, a Word document,
a zip archive, a PDF, an image, or bytes mostly NUL) is named by its format
(:func:`binary_format`), with what to do instead. The encoding
is never guessed where the guess could be wrong: a file mixing UTF-8 with
other bytes, UTF-16 without a byte-order mark, or bytes neither UTF-8 nor
cp1252 are reported with the offset of the first bad byte, which
:mod:`partnernet.io.csvread` turns into a line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class Decoded:
    """A file's text as UTF-8 bytes and its encoding, or why it cannot be read."""

    buf: bytes | None  # the text as UTF-8 bytes; None: not decodable (see reason)
    encoding: str
    offset: int | None = None  # byte offset in ``buf`` (or ``lossy``) of the first non-UTF-8 byte
    reason: str = ""
    lossy: bytes = b""  # undecodable files: the text with bad bytes replaced, to locate the problem


def looks_like_utf16(sample: bytes) -> bool:
    """Mostly-Latin UTF-16 has a NUL in every other byte: in the even or the odd places, not both."""
    half = len(sample) // 2
    if half < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= 0.4 * half and min(even, odd) <= 0.05 * half


_SAVE_CSV = 'save it as "CSV UTF-8" and use that file'
#: Leading bytes of formats people save or rename as ``.csv`` by mistake → what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (xls) or another Office 97–2003 file"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)


def _zip_format(data: bytes) -> str:
    """What a zip file holds, by the names of its first entries (Office files are zip archives)."""
    head = data[:65536]
    if b"xl/" in head:
        return ("an Excel workbook (xlsx), not a CSV file: name it .xlsx, which partnernet reads as it is "
                "(or in Excel choose Save As, \"CSV UTF-8\")")
    if b"word/" in head:
        return "a Word document (docx), not a CSV file: " + _SAVE_CSV.replace("save it", "export the table")
    if b"opendocument.spreadsheet" in head:
        return ("an OpenDocument spreadsheet (ods), not a CSV file: name it .ods, which partnernet reads as it is "
                "(or save it as \"Text CSV\", UTF-8)")
    if b"ppt/" in head or b"opendocument" in head:
        return "an office document, not a CSV file: " + _SAVE_CSV
    return "a zip archive, not a CSV file: unpack it and use the CSV file inside"


def binary_format(data: bytes) -> str | None:
    """Why ``data`` is not a text file (naming its format and what to do), or ``None`` when it may be text."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"{what}, not a CSV file: {_SAVE_CSV}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None  # UTF-16/32 text has NULs by design
    sample = data[:4096]
    nuls = sample.count(0)
    if sample and nuls == len(sample) and data.count(0) == len(data):
        return f"the file holds only NUL bytes ({len(data):,} bytes of 0x00), no text: it is damaged or not a CSV file"
    if nuls > 0.1 * len(sample) and not looks_like_utf16(sample):
        return f"a binary file, not CSV text ({nuls:,} NUL bytes in the first {len(sample):,}): {_SAVE_CSV}"
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Work out the encoding; the result is UTF-8 bytes (no copy for UTF-8 input without BOM)."""
    what = binary_format(data)
    if what is not None:
        return Decoded(None, "binary", None, what)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return Decoded(data.decode("utf-32").encode("utf-8"), "utf-32")
        except UnicodeDecodeError:
            return Decoded(None, "utf-32", None, "not valid UTF-32 (the file is cut or damaged); " + _SAVE_CSV)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16").encode("utf-8"), "utf-16")
        except UnicodeDecodeError as exc:
            where = len(data[: exc.start].decode("utf-16", "replace").encode("utf-8"))
            return Decoded(None, "utf-16", where, "not valid UTF-16 from here on (the file is cut or damaged)",
                            data.decode("utf-16", "replace").encode("utf-8"))
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    if looks_like_utf16(body[:4000]):
        return Decoded(None, "utf-16", 0, "looks like UTF-16 without a byte-order mark; save the file as \"CSV UTF-8\"")
    try:
        body.decode("utf-8")
        return Decoded(body, "utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    byte = f"0x{body[bad]:02X}"
    if bom or _UTF8_MULTIBYTE.search(body):
        return Decoded(None, "utf-8", bad,
                        f"byte {byte} is not UTF-8, but the file holds UTF-8 elsewhere: it mixes two encodings; "
                        "save it again as \"CSV UTF-8\"",
                        body[:bad] + body[bad:].decode("utf-8", "replace").encode("utf-8"))
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as exc:
        lossy = body.decode("cp1252", "replace")
        return Decoded(None, "unknown", len(lossy[: exc.start].encode("utf-8")),
                        f"byte 0x{body[exc.start]:02X} is neither UTF-8 nor Windows-1252; "
                        "save the file as \"CSV UTF-8\"", lossy.encode("utf-8"))
    return Decoded(text.encode("utf-8"), "cp1252", bad)  # all bytes before ``bad`` are ASCII


#: The warning for a file read as Windows-1252.
CP1252_WARNING = ("the file is not UTF-8; read as Windows-1252 (cp1252), as Danish Excel saves \"CSV\"; "
                   "check the letters æ, ø, å or save as \"CSV UTF-8\"")
