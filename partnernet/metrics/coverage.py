"""Which sectors are at the table: coverage per partnership, sector mixing, E-I index.

* :func:`coverage_table` – per partnership: sectors (or helix groups) present
  and missing, coverage, Blau diversity, quadruple-helix completeness.
* :func:`sector_table` – per sector: actors, partnerships, links inside and
  across the sector, Krackhardt's E-I index.
* :func:`mixing_table` – sector × sector counts of actor pairs that share a
  partnership.

Actors without a sector are counted as members but ignored wherever a
sector is needed (present sectors, diversity, E-I, mixing): their sector is
unknown, not a sector of its own.

Unnamed members that a partnership declares per sector (the ``declared``
column, e.g. ``business:5``) make their sector present: it is not missing,
counts towards coverage and helix completeness, and its count weighs in the
diversity like that many members. :func:`present_sectors` is that rule for
every partnership at once (gaps uses it too).
"""

from __future__ import annotations

from typing import Final, Literal

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import schema
from ..defaults import LEVELS
from ..errors import OptionError
from ..names import group_names, sector_names
from ..graph import co_membership_blocks, declared_matrix, incidence, incidence_t, sectors_of, tie_pairs
from ..memo import remember
from ._engine import row_index, sector_codes

Level = Literal["sector", "group"]

_COVERAGE_SCHEMA: Final = {
    schema.ID: pl.String,
    schema.LABEL: pl.String,
    "members": pl.Int64,
    "present": pl.List(pl.String),
    "counts": pl.List(pl.Int64),
    "declared": pl.List(pl.String),
    "declared_counts": pl.List(pl.Int64),
    "missing": pl.List(pl.String),
    "coverage": pl.Float64,
    "diversity": pl.Float64,
    "helix_complete": pl.Boolean,
}
_SECTOR_SCHEMA: Final = {
    schema.ID: pl.String,
    "label_da": pl.String,
    "label_en": pl.String,
    "group": pl.String,
    "actors": pl.Int64,
    "partnerships": pl.Int64,
    "internal": pl.Int64,
    "external": pl.Int64,
    "ei_index": pl.Float64,
}


def coverage_table(g: nx.Graph, *, level: Level = "sector", require: list[str] | None = None) -> pl.DataFrame:
    """Sector coverage of every partnership, sorted by id.

    Columns
    -------
    id, label
        The partnership.
    members
        Number of member actors (any role).
    present, counts
        Sector ids (``level="sector"``) or helix group ids (``level="group"``)
        among the named members, in vocabulary order, and how many members
        each has.
    declared, declared_counts
        Categories with unnamed members the data declares (``declared``
        column), in vocabulary order, and how many (summed per group at
        ``level="group"``). A category in ``declared`` but not in ``present``
        is present only through unnamed members.
    missing
        Reference categories with neither a named nor a declared member: every
        sector (group) of the vocabulary, or those named in ``require``.
    coverage
        Share of the reference categories present (named or declared), in [0, 1].
    diversity
        Blau's index ``1 − Σ p²`` over the members' categories at ``level``
        (``p`` = share of the members with a known category, declared unnamed
        members counted by their number); 0 when all are alike, null when no
        member has a sector.
    helix_complete
        True when all four quadruple-helix groups (public, private, civil
        society, knowledge) are among the members, named or declared.

    Raises
    ------
    OptionError
        For an unknown ``level`` or a ``require`` entry (id or label) not in the vocabulary, or ambiguous.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
    ...      {"id": "b", "sector": "business"}],
    ...     [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    >>> row = coverage_table(g, require=["state", "knowledge"]).row(0, named=True)
    >>> row["present"], row["missing"], row["coverage"], row["diversity"]
    (['state', 'business'], ['knowledge'], 0.5, 0.5)
    """
    vocab = sectors_of(g)
    categories, category_of = _categories(g, level)
    reference = _reference(categories, require, level, vocab)
    a_ids, p_ids, b = incidence(g)
    actor_category = [category_of(g.nodes[a].get(schema.SECTOR)) for a in a_ids]
    # Categories outside the reference list (sectors not in the vocabulary) sort after it, by name.
    extra = sorted({c for c in actor_category if c is not None} - set(categories))
    names = [*categories, *extra]
    index = {c: i for i, c in enumerate(names)}
    cat = np.fromiter((index.get(c, -1) if c is not None else -1 for c in actor_category), dtype=np.int64,
                      count=len(a_ids))
    helix = {h: i for i, h in enumerate(schema.GROUPS)}
    grp = np.fromiter((helix.get(_group(vocab, g.nodes[a].get(schema.SECTOR)), -1) for a in a_ids), dtype=np.int64,
                      count=len(a_ids))
    bt = sp.csr_array(incidence_t(g), dtype=np.int64)
    counts = sp.csr_array(bt @ _one_hot(cat, len(names)))
    counts.sort_indices()
    present_at = np.zeros((len(p_ids), len(names)), dtype=bool)
    present_at[row_index(counts), counts.indices] = counts.data > 0
    ref = np.asarray([index[c] for c in reference], dtype=np.int64)
    groups_present = (bt @ _one_hot(grp, len(schema.GROUPS))).toarray() > 0
    # Declared unnamed members, by category at this level (partnership × names) and by helix group.
    dm = declared_matrix(g)
    vocab_cat = np.asarray([index.get(category_of(s), -1) for s in vocab.ids], dtype=np.int64)
    vocab_grp = np.asarray([helix.get(s.group, -1) for s in vocab], dtype=np.int64)
    dcat = sp.csr_array(dm @ _one_hot(vocab_cat, len(names)))
    dcat.sort_indices()
    dcat.eliminate_zeros()
    present_at[row_index(dcat), dcat.indices] = True
    groups_present |= (dm @ _one_hot(vocab_grp, len(schema.GROUPS))).toarray() > 0
    members = np.diff(bt.indptr)
    owner = row_index(counts)
    known = np.bincount(owner, weights=counts.data, minlength=len(p_ids))
    # Σ (n / known)², summed in the order in which the categories first occur among the members
    # (sorted by actor id), so the floats are those of a plain loop over the members.
    member_p, member_a = row_index(bt), bt.indices.astype(np.int64)
    has = cat[member_a] >= 0
    first = np.full((len(p_ids), max(len(names), 1)), np.iinfo(np.int64).max)
    np.minimum.at(first, (member_p[has], cat[member_a[has]]), member_a[has])
    seq = np.lexsort((first[owner, counts.indices], owner))
    with np.errstate(divide="ignore", invalid="ignore"):
        squares = np.bincount(owner[seq], weights=(counts.data[seq] / known[owner[seq]]) ** 2, minlength=len(p_ids))
    diversity = np.where(known > 0, 1.0 - squares, np.nan)
    for j in np.flatnonzero(np.diff(dcat.indptr)).tolist():
        diversity[j] = _blau_with_declared(counts, dcat, first, j)
    cuts = counts.indptr[1:-1]
    dcuts = dcat.indptr[1:-1]
    name_arr = np.asarray(names, dtype=object)
    ref_names = [names[i] for i in ref.tolist()]
    missing_mask = ~present_at[:, ref] if ref.size else np.zeros((len(p_ids), 0), dtype=bool)
    frame = pl.DataFrame(
        {
            schema.ID: p_ids,
            schema.LABEL: [g.nodes[p].get(schema.LABEL) for p in p_ids],
            "members": members.astype(np.int64),
            "present": [x.tolist() for x in np.split(name_arr[counts.indices], cuts)] if len(p_ids) else [],
            "counts": [x.tolist() for x in np.split(counts.data.astype(np.int64), cuts)] if len(p_ids) else [],
            "declared": [x.tolist() for x in np.split(name_arr[dcat.indices], dcuts)] if len(p_ids) else [],
            "declared_counts": [x.tolist() for x in np.split(dcat.data.astype(np.int64), dcuts)] if len(p_ids) else [],
            "missing": [[n for n, miss in zip(ref_names, row) if miss] for row in missing_mask.tolist()],
            "coverage": (present_at[:, ref].sum(axis=1) / len(ref)) if len(p_ids) else np.zeros(0),
            "diversity": diversity,
            "helix_complete": groups_present.all(axis=1) if len(schema.GROUPS) else np.ones(len(p_ids), dtype=bool),
        },
        schema=_COVERAGE_SCHEMA,
    )
    return frame.with_columns(pl.col("diversity").fill_nan(None))


def present_sectors(g: nx.Graph) -> np.ndarray:
    """Partnership × sector booleans: a named member of the sector, or unnamed ones declared (cached).

    Rows are the sorted partnership ids, columns the vocabulary's sectors in
    its order. A sector is missing from a partnership exactly where this is
    false; coverage and gaps both decide it here.
    """

    def build() -> np.ndarray:
        a_ids, _, _ = incidence(g)
        k = len(sectors_of(g))
        bt = sp.csr_array(incidence_t(g), dtype=np.int64)
        named = (bt @ _one_hot(sector_codes(g, a_ids), k)).toarray() > 0
        return named | (declared_matrix(g).toarray() > 0)

    return remember(g, "present_sectors", build)


def _blau_with_declared(counts: sp.csr_array, dcat: sp.csr_array, first: np.ndarray, j: int) -> float:
    """Blau's index of partnership ``j`` with its declared unnamed members counted by their number.

    The named members' categories come in the order in which they first occur
    among the members (as for every other partnership), then the categories
    only declared, in vocabulary order.
    """
    n: dict[int, int] = {}
    lo, hi = counts.indptr[j], counts.indptr[j + 1]
    named = sorted(zip(counts.indices[lo:hi].tolist(), counts.data[lo:hi].tolist()), key=lambda c: first[j, c[0]])
    for c, x in named:
        n[c] = int(x)
    for c, x in zip(dcat.indices[dcat.indptr[j]:dcat.indptr[j + 1]].tolist(),
                    dcat.data[dcat.indptr[j]:dcat.indptr[j + 1]].tolist()):
        n[c] = n.get(c, 0) + int(x)
    total = sum(n.values())
    return 1.0 - sum((x / total) ** 2 for x in n.values())


def _one_hot(code: np.ndarray, k: int) -> sp.csr_array:
    """Actor × category 0/1 matrix from codes (−1: no category, an empty row)."""
    known = np.flatnonzero(code >= 0)
    return sp.csr_array(
        (np.ones(known.size, dtype=np.int64), (known, code[known])), shape=(code.size, k), dtype=np.int64
    )


def sector_table(g: nx.Graph) -> pl.DataFrame:
    """Per sector of the vocabulary (in its order): size, reach and openness.

    Columns
    -------
    id, label_da, label_en, group
        The sector as defined in the vocabulary.
    actors
        Actors of the sector.
    partnerships
        Partnerships with at least one member of the sector.
    internal, external
        Links of the actor network (shared partnership or direct tie) inside
        the sector, and from the sector to another sector. A link is a distinct
        pair of linked actors, counted once however many partnerships the pair
        shares (pairs, not weights); links to actors without a sector are left
        out.
    ei_index
        Krackhardt & Stern's E-I index ``(E − I) / (E + I)``: −1 when the
        sector only links inward, +1 when only outward; null without links.

    Counted block by block from the incidence matrix, without ever holding
    the whole actor adjacency, so it scales to hundreds of thousands of
    actors.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "a", "sector": "state"}, {"id": "b", "sector": "state"},
    ...      {"id": "c", "sector": "business"}],
    ...     [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}])
    >>> sector_table(g).filter(id="state").select("internal", "external", "ei_index").row(0)
    (1, 1, 0.0)
    """
    vocab = sectors_of(g)
    k = len(vocab)
    _, _, b = incidence(g)
    indicator = _indicator(g, k)
    actors = np.asarray(indicator.sum(axis=0)).ravel().astype(np.int64)
    partnerships = ((indicator.T @ b) > 0).sum(axis=1)
    pairs = _sector_pairs(g, k, ties=True)
    internal = np.diag(pairs) // 2
    external = pairs.sum(axis=1) - np.diag(pairs)
    total = internal + external
    with np.errstate(divide="ignore", invalid="ignore"):
        ei = np.where(total > 0, (external - internal) / total, np.nan)
    return pl.DataFrame(
        {
            schema.ID: list(vocab.ids),
            "label_da": [s.label_da for s in vocab],
            "label_en": [s.label_en for s in vocab],
            "group": [s.group for s in vocab],
            "actors": actors,
            "partnerships": np.asarray(partnerships).ravel(),
            "internal": internal,
            "external": external,
            "ei_index": ei,
        },
        schema=_SECTOR_SCHEMA,
    ).with_columns(pl.col("ei_index").fill_nan(None))


def mixing_table(g: nx.Graph) -> pl.DataFrame:
    """Sector × sector co-membership matrix.

    Column ``id`` holds the row's sector id, followed by one Int64 column per
    sector id (vocabulary order). Cell (A, B) is the number of distinct actor
    pairs with one actor in A and the other in B that share at least one
    partnership; the diagonal counts pairs inside a sector. The matrix is
    symmetric. Direct ties are not co-memberships and are not counted.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
    ...      {"id": "b", "sector": "state"}, {"id": "c", "sector": "business"}],
    ...     [{"source": x, "target": "p"} for x in "abc"])
    >>> mixing_table(g).filter(id="state").select("state", "business").row(0)
    (1, 2)
    """
    vocab = sectors_of(g)
    pairs = _sector_pairs(g, len(vocab), ties=False)
    matrix = pairs - np.diag(np.diag(pairs) // 2)
    data = {schema.ID: list(vocab.ids)}
    dtypes = {schema.ID: pl.String}
    for j, s in enumerate(vocab.ids):
        data[s] = matrix[:, j]
        dtypes[s] = pl.Int64
    return pl.DataFrame(data, schema=dtypes)


# --- internals ------------------------------------------------------------------------


def _group(vocab: schema.Vocabulary, sector: str | None) -> str | None:
    if sector is None or sector not in vocab:
        return None
    return vocab.group_of(sector)


def _categories(g: nx.Graph, level: str):
    """The ordered categories at ``level`` and a function mapping a sector to its category."""
    vocab = sectors_of(g)
    if level == "sector":
        return list(vocab.ids), lambda s: s
    if level == "group":
        return list(vocab.groups()), lambda s: _group(vocab, s)
    raise OptionError(f'unknown level "{level}": choose one of {", ".join(LEVELS)}')


def _reference(categories: list[str], require: list[str] | None, level: str,
               vocab: schema.Vocabulary) -> list[str]:
    """The categories ``require`` names (ids or labels, :mod:`partnernet.names`), in display order."""
    if require is None:
        return categories
    if not require:
        raise OptionError(f"require names no {level}")
    names = sector_names(vocab) if level == "sector" else group_names(categories)
    wanted = set(names.resolve_all(require))
    return [c for c in categories if c in wanted]


def _indicator(g: nx.Graph, k: int) -> sp.csr_array:
    """Actor × sector 0/1 matrix (rows: sorted actor ids; actors without a sector have an empty row)."""
    ids = incidence(g)[0]
    code = sector_codes(g, ids)
    known = code >= 0
    return sp.csr_array((np.ones(int(known.sum())), (np.flatnonzero(known), code[known])), shape=(len(ids), k))


def _sector_pairs(g: nx.Graph, k: int, *, ties: bool) -> np.ndarray:
    """Sector × sector counts of ordered linked actor pairs (the diagonal counts each pair twice).

    Counted a row block of the co-membership product at a time
    (:func:`partnernet.graph.co_membership_blocks`): each block's entries are
    tallied by the sector codes of their two actors with one ``bincount``, so
    memory stays bounded however many pairs share a partnership. Direct ties
    between actors who share no partnership are added from the tie list.
    """
    ext = _extended_codes(g, k)
    width = k + 1
    counts = remember(g, ("co_member_sector_pairs", k), lambda: _co_member_pairs(g, ext, width)).copy()
    if ties:
        i, j, _, shares = tie_pairs(g)
        only = ~shares
        a, b = ext[i[only]], ext[j[only]]
        counts += np.bincount(a * width + b, minlength=width * width)
        counts += np.bincount(b * width + a, minlength=width * width)
    return counts.reshape(width, width)[:k, :k]


def _extended_codes(g: nx.Graph, k: int) -> np.ndarray:
    """Sector code per actor, with actors without a (vocabulary) sector in an extra bin ``k``."""
    code = sector_codes(g, incidence(g)[0])
    return np.where(code >= 0, code, k).astype(np.int64)


def _co_member_pairs(g: nx.Graph, ext: np.ndarray, width: int) -> np.ndarray:
    """Flat ``width × width`` counts of ordered actor pairs sharing a partnership, by extended sector code."""
    counts = np.zeros(width * width, dtype=np.int64)
    small = ext.astype(np.int32) if width * width < 2**31 else ext
    for lo, hi, block in co_membership_blocks(g):
        if block.nnz == 0:
            continue
        keys = small[block.indices]
        keys += np.repeat(small[lo:hi] * width, np.diff(block.indptr))
        counts += np.bincount(keys, minlength=width * width)
    return counts
