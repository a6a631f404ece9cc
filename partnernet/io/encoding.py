"""Which encoding a CSV file from Excel is in, and its text as UTF-8 bytes.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text")
and Windows-1252 (Danish Excel's plain "CSV"; the reader warns). The encoding
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


def decode_bytes(data: bytes) -> Decoded:
    """Work out the encoding; the result is UTF-8 bytes (no copy for UTF-8 input without BOM)."""
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
