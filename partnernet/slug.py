"""Safe, unique and stable file names (slugs) for ids that come from the data.

A published site names one page per partnership, sector and actor after the
node's id. Ids are whatever the user typed into a spreadsheet, so they can hold
``../``, backslashes, drive letters, Windows device names (``con``, ``NUL``),
Danish letters or 300 characters. :func:`slug_for` turns any id into a name that
is safe on every file system and web server:

* only ``[a-z0-9-]``, no leading/trailing or double hyphen, at most
  :data:`MAX_LENGTH` characters (so ``..``, ``/``, ``\\`` and ``:`` cannot occur);
* Danish letters transliterated (``æ`` → ``ae``, ``ø`` → ``oe``, ``å`` → ``aa``),
  other accents stripped;
* never a reserved Windows device name, never empty;
* **stable**: an id that already is a clean slug is used as it is; any other id
  gets a short hash of the exact id appended, so the slug of an id never depends
  on which other ids exist (links and bookmarks survive new data);
* **unique**: two different ids can only share a slug by a hash collision, which
  :func:`unique_slugs` resolves deterministically with a longer hash.

>>> slug_for("p-groenne-indkoeb")
'p-groenne-indkoeb'
>>> slug_for("Grønne Indkøb")
'groenne-indkoeb-4a9d290f'
>>> slug_for("../../etc/passwd")
'etc-passwd-936d7c04'
>>> slug_for("con")
'con-b1f6e510'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Final

#: Longest slug (without the ``.html`` extension), hash suffix included.
MAX_LENGTH: Final = 60

#: Hex digits of the id hash appended to changed slugs.
HASH_LENGTH: Final = 8

#: Windows device names; reserved with any extension (``con.html``) and in any case.
RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul", "conin", "conout"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)

_TRANSLIT: Final = {
    "æ": "ae", "Æ": "ae", "ø": "oe", "Ø": "oe", "å": "aa", "Å": "aa",
    "ß": "ss", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "œ": "oe", "Œ": "oe",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i",
}
_CLEAN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_ALLOWED: Final = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """The readable part of a slug: transliterated, lowercase, ``[a-z0-9-]``, cut to ``max_length``.

    May be lossy (different texts can give the same result) and returns ``""``
    for text without letters or digits; use :func:`slug_for` for file names.

    >>> slugify("Ældre Sagen / Aarhus"), slugify("C:\\\\x"), slugify("...")
    ('aeldre-sagen-aarhus', 'c-x', '')
    """
    text = "".join(_TRANSLIT.get(ch, ch) for ch in str(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_ALLOWED.sub("-", text.lower()).strip("-")
    if len(text) > max_length:
        cut = text[:max_length]
        # prefer to cut at a word boundary when that keeps most of the text
        if "-" in cut and cut.rfind("-") >= max_length // 2:
            cut = cut[: cut.rfind("-")]
        text = cut.strip("-")
    return text


def id_hash(node_id: str, length: int = HASH_LENGTH) -> str:
    """A short, stable hex hash of the exact id (SHA-1 of its UTF-8 bytes)."""
    return hashlib.sha1(str(node_id).encode("utf-8", "surrogatepass")).hexdigest()[:length]


def is_clean(node_id: str, max_length: int = MAX_LENGTH) -> bool:
    """True when ``node_id`` can be used as a file name as it is."""
    return (
        len(node_id) <= max_length
        and _CLEAN.fullmatch(node_id) is not None
        and node_id not in RESERVED
    )


def slug_for(node_id: str, *, hash_length: int = HASH_LENGTH, max_length: int = MAX_LENGTH) -> str:
    """The stable file-name slug of one id (see the module docs).

    >>> slug_for(""), slug_for("a/b"), len(slug_for("x" * 300))
    ('x-da39a3ee', 'a-b-3ec69c85', 60)
    """
    node_id = str(node_id)
    if is_clean(node_id, max_length):
        return node_id
    base = slugify(node_id, max_length - hash_length - 1) or "x"
    return f"{base}-{id_hash(node_id, hash_length)}"


def unique_slugs(ids: Iterable[str], *, max_length: int = MAX_LENGTH) -> dict[str, str]:
    """Slugs for many ids, guaranteed pairwise different.

    Each id gets :func:`slug_for`. Ids that are clean slugs keep their name;
    should a hashed slug meet another one (a hash collision, or a clean id that
    happens to look like a hashed slug), the hashed id gets a longer hash. Ids
    are handled in sorted order, so the result does not depend on the order of
    ``ids``.

    >>> unique_slugs(["b", "a", "A"])
    {'A': 'a-6dcd4ce2', 'a': 'a', 'b': 'b'}
    """
    unique = sorted({str(i) for i in ids})
    out: dict[str, str] = {i: i for i in unique if is_clean(i, max_length)}
    taken = set(out.values())
    for node_id in unique:
        if node_id in out:
            continue
        length = HASH_LENGTH
        slug = slug_for(node_id, max_length=max_length)
        while slug in taken and length < 40:
            length = min(40, length + 4)
            base = slugify(node_id, max(1, max_length - length - 1)) or "x"
            slug = f"{base}-{id_hash(node_id, length)}"
        n = 2
        stem = slug
        while slug in taken:  # SHA-1 exhausted: never reached in practice
            slug = f"{stem}-{n}"
            n += 1
        taken.add(slug)
        out[node_id] = slug
    return dict(sorted(out.items()))
