"""Presenting metric tables: ranking, filtering by sector, cutting to the top rows."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .. import schema
from ..errors import OptionError, suggest
from ..names import Names, sector_names


def ranked(
    frame: pl.DataFrame,
    by: str,
    *,
    top: int | None = None,
    sector: str | None = None,
    sectors: schema.Vocabulary | Sequence[str] = (),
) -> pl.DataFrame:
    """``frame`` sorted by ``by`` (highest first, nulls last, ties by id) with a ``rank`` column first.

    Equal values share the best rank (1, 2, 2, 4). The rank is network-wide:
    it is computed before the rows are narrowed to ``sector`` (an id or, with
    a vocabulary as ``sectors``, a label; :mod:`partnernet.names`) and to the
    first ``top`` rows.

    Examples
    --------
    >>> t = pl.DataFrame({"id": ["a", "b", "c"], "sector": ["state", "state", None], "x": [1.0, 3.0, 3.0]})
    >>> ranked(t, "x").select("rank", "id").rows()
    [(1, 'b'), (1, 'c'), (3, 'a')]
    >>> ranked(t, "x", sector="state", sectors=["state"], top=1)["id"].to_list()
    ['b']
    """
    numeric = [c for c, t in frame.schema.items() if t.is_numeric() and c != "rank"]
    if by not in numeric:
        raise OptionError(f'cannot sort by "{by}"' + (suggest(by, numeric) or f"; choose one of {', '.join(numeric)}"))
    if top is not None and top < 1:
        raise OptionError(f"top must be at least 1, got {top}")
    if sector is not None:
        names = sector_names(sectors) if isinstance(sectors, schema.Vocabulary) else Names("sector", ((s, ()) for s in sectors))
        sector = names.resolve(sector)
    out = frame.sort([by, schema.ID], descending=[True, False], nulls_last=True)
    out = out.with_columns(pl.col(by).rank("min", descending=True).cast(pl.Int64).alias("rank")).select(
        "rank", *frame.columns
    )
    if sector is not None:
        out = out.filter(pl.col(schema.SECTOR) == sector)
    return out.head(top) if top is not None else out
