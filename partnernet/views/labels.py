"""How a sector and a helix group are named and coloured on every map and page, defined once.

A node without a sector (None, or an empty id) is "no sector" in the page's
language and :data:`partnernet.schema.NO_SECTOR_COLOR`; a sector id outside
the vocabulary is shown as its id, in the no-sector colour.
"""

from __future__ import annotations

from .. import schema
from ..text import map_text


def sector_label(vocab: schema.Vocabulary, sid: str | None, lang: str) -> str:
    """The name of sector ``sid`` in ``lang``."""
    if sid is None or sid == "":
        return map_text(lang, "no_sector")
    try:
        return vocab.get(sid).label(lang)
    except KeyError:
        return str(sid)


def sector_color(vocab: schema.Vocabulary, sid: str | None) -> str:
    """The colour of sector ``sid``."""
    try:
        return vocab.get(sid).color if sid else schema.NO_SECTOR_COLOR
    except KeyError:
        return schema.NO_SECTOR_COLOR


def group_label(group: str | None, lang: str) -> str:
    """The name of a helix group in ``lang`` (an unknown group as its id; none as "")."""
    if group in schema.GROUPS:
        return schema.GROUPS[group][0 if lang == "da" else 1]
    return group or ""
