"""The options of a map, checked, and the ids it names, resolved: before any work is done.

:func:`check_map_options` is what :func:`partnernet.views.map.map_view` runs first;
kept apart so the view model reads as the steps of building a map.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from .. import schema
from ..defaults import COLOR_BY, SIZE_BY, VIEWS
from ..errors import OptionError, close_matches
from ..graph import sectors_of
from ..names import resolve_node, sector_names
from ..text import check_lang


def check_map_options(g: nx.Graph, *, view: str, partnership: str | None, actor: str | None, depth: int,
                      sector: str | Sequence[str] | None, color_by: str, size_by: str, max_nodes: int,
                      lang: str) -> tuple[str | None, str | None, list[str] | None]:
    """The partnership id, actor id and sector ids the options name (ids or labels), checked.

    Raises :class:`~partnernet.errors.OptionError` for unknown ids (with a
    did-you-mean), unknown choices and contradictory options.
    """
    check_lang(lang)
    _choice("--view", view, VIEWS)
    _choice("--color-by", color_by, COLOR_BY)
    _choice("--size-by", size_by, SIZE_BY)
    if max_nodes < 1:
        raise OptionError("--max-nodes: must be at least 1")
    if depth < 1:
        raise OptionError("--depth: must be at least 1")
    if partnership is not None and actor is not None:
        raise OptionError("--partnership and --actor cannot be combined; choose one focus")
    if partnership is not None and view != "network":
        raise OptionError("--partnership shows the two-mode network; it cannot be combined with --view " + view)
    if actor is not None and view == "sectors":
        raise OptionError("--actor cannot be combined with --view sectors")
    if partnership is not None:
        partnership = resolve_node(g, partnership, schema.PARTNERSHIP, flag="--partnership")
    if actor is not None:
        actor = resolve_node(g, actor, schema.ACTOR, flag="--actor")
    sectors = _resolve_sectors(g, sector)
    return partnership, actor, sectors


def _choice(flag: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        close = close_matches(value, choices, n=1, cutoff=0.5, ignore_case=False)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise OptionError(f"{flag}: {value!r} is not one of {', '.join(choices)}{hint}")
    return value


def _resolve_sectors(g: nx.Graph, sector: str | Sequence[str] | None) -> list[str] | None:
    """Sector ids from ids or labels (:mod:`partnernet.names`); unknown or ambiguous → OptionError."""
    wanted = [sector] if isinstance(sector, str) else list(sector or ())
    return sector_names(sectors_of(g)).resolve_all(wanted, flag="--sector") if wanted else None
