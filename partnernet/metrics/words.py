"""The labels as text: title words and name words, as sparse token matrices and per-candidate features.

Every network has labels, so these features need no attribute column. A
*token* is a run of at least :data:`MIN_TOKEN` letters, lower-cased and cut
to its first :data:`PREFIX` letters (truncation stemming: inflections and
compounds share a prefix, "plastindustriens" ↔ "Plast Center"; no stop list,
since the idf discounts common words in any language). Weights are idf,
``log((1 + N) / (1 + df))``, so a token in every label weighs nothing.

* ``title_name`` – the summed idf (over the partnerships' labels) of p's
  title tokens that occur in c's own label (a place or organisation named in
  a project title); ``title_sim`` that of the tokens that occur in the titles
  of c's partnerships. Both lie between 0 and p's title weight
  (:func:`title_weight`); unnormalised, a long specific title counts more
  than a short one (measured better than shares on real data).
* ``member_name`` – the summed idf (over the actors' labels) of c's label
  tokens that occur in the label of a member of p ("Iværksætterhuset
  Sønderborg" ↔ "Sønderborg Kommune"); a token of a single label weighs
  nothing.

The features are computed by :mod:`partnernet.metrics.features` on its
:class:`~partnernet.metrics.features.Arrays` (anything with the fields of
:class:`Labelled`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

import numpy as np
import scipy.sparse as sp

from ._engine import lookup, pattern, row_index, scaled_cols, spans



class Labelled(Protocol):
    """What the text features read: incidence (actors × partnerships and its transpose), partnership
    sizes and ids, and the token matrices of :func:`label_tokens` and :func:`name_tokens`."""

    b: sp.csr_array
    bt: sp.csr_array
    k_p: np.ndarray
    p_ids: list[str]
    p_text: sp.csr_array | None
    a_text: sp.csr_array | None
    a_words: sp.csr_array | None

#: Shortest token of a label compared as text (shorter words are mostly articles and prepositions).
MIN_TOKEN: Final = 4
_TOKEN: Final = re.compile(r"[^\W\d_]{%d,}" % MIN_TOKEN)
#: Tokens are cut to this many letters (truncation stemming: inflections and compounds share a prefix).
PREFIX: Final = 5
#: Text features, in this order, when the partnerships' labels have informative tokens.
TEXT: Final = ("title_name", "title_sim")
#: The text feature between actors' labels, when they share informative tokens.
NAME: Final = "member_name"


def tokens(label: str) -> list[str]:
    """The distinct tokens of a label, sorted: runs of at least :data:`MIN_TOKEN` letters, lower-cased, cut to
    :data:`PREFIX` letters.

    Examples
    --------
    >>> tokens("Efteruddannelse af plastindustriens medarbejdere i 2026")
    ['efter', 'medar', 'plast']
    """
    return sorted({w[:PREFIX] for w in _TOKEN.findall(label.lower())})


def label_tokens(p_labels: Sequence[str], a_labels: Sequence[str]) -> tuple[sp.csr_array | None, sp.csr_array | None]:
    """The title tokens as matrices: (partnerships × tokens with their idf, actors × the same tokens
    0/1); ``(None, None)`` when no token has a positive idf."""
    p_tok = [tokens(t) for t in p_labels]
    vocab = {w: i for i, w in enumerate(sorted({w for t in p_tok for w in t}))}
    if not vocab:
        return None, None
    p_bin = _token_matrix(p_tok, vocab)
    df = np.bincount(p_bin.indices, minlength=len(vocab))
    idf = np.log((1.0 + len(p_labels)) / (1.0 + df))
    weighted = scaled_cols(p_bin, idf)
    weighted.eliminate_zeros()
    if weighted.nnz == 0:
        return None, None
    a_tok = [[w for w in tokens(t) if w in vocab] for t in a_labels]
    return weighted, _token_matrix(a_tok, vocab)


def name_tokens(a_labels: Sequence[str]) -> sp.csr_array | None:
    """The actors' label tokens (actors × tokens) weighted by their idf over the actors' labels,
    ``log((1 + N) / (1 + df))``; tokens of a single label are left out (they can match no one); ``None`` without any."""
    a_tok = [tokens(t) for t in a_labels]
    vocab = {w: i for i, w in enumerate(sorted({w for t in a_tok for w in t}))}
    if not vocab:
        return None
    m = _token_matrix(a_tok, vocab)
    df = np.bincount(m.indices, minlength=len(vocab))
    weighted = scaled_cols(m, np.where(df >= 2, np.log((1.0 + len(a_labels)) / (1.0 + df)), 0.0))
    weighted.eliminate_zeros()
    return weighted if weighted.nnz else None


def _token_matrix(tokens: Sequence[Sequence[str]], vocab: dict[str, int]) -> sp.csr_array:
    """0/1 matrix (labels × vocabulary), sorted indices."""
    sizes = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    cols = np.fromiter((vocab[w] for t in tokens for w in t), dtype=np.int64, count=int(sizes.sum()))
    m = sp.csr_array((np.ones(cols.size), cols, np.r_[0, np.cumsum(sizes)]), shape=(len(tokens), len(vocab)))
    m.sort_indices()
    return m


def member_name(net: Labelled, queries: np.ndarray, q: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``member_name`` of the rows (query ``q[i]``, candidate ``c[i]``): the idf of c's label tokens found in
    a member's label (module docstring); zeros without name tokens."""
    if net.a_words is None:
        return np.zeros(c.size)
    words = sp.csr_array(net.bt[queries] @ pattern(net.a_words))  # queries × tokens of the members' labels
    words.sort_indices()
    return _token_overlap(net.a_words, words, c, q)


def name_weight(net: Labelled) -> np.ndarray:
    """The summed idf of each actor's name tokens: the largest ``member_name`` it can have."""
    if net.a_words is None:
        return np.zeros(net.b.shape[0])
    return np.bincount(row_index(net.a_words), weights=net.a_words.data, minlength=net.b.shape[0])


def name_matches(net: Labelled, p: np.ndarray, c: np.ndarray) -> list[list[int]]:
    """Per pair i: the members of p[i] (index order) whose labels share a token with c[i]'s label."""
    if net.a_words is None:
        return [[] for _ in range(p.size)]
    sizes = net.k_p[p].astype(np.int64)
    pair = np.repeat(np.arange(p.size), sizes)
    member = net.bt.indices[spans(net.bt.indptr[p], sizes)].astype(np.int64)
    shared = _token_overlap(net.a_words, pattern(net.a_words), c[pair], member) > 0
    bounds = np.searchsorted(pair[shared], np.arange(p.size + 1))
    return [x.tolist() for x in np.split(member[shared], bounds[1:-1])] if p.size else []


def text_shares(net: Labelled, p: np.ndarray, c: np.ndarray) -> dict[str, np.ndarray]:
    """``title_name`` and ``title_sim`` of the pairs (``p[i]``, ``c[i]``) (module docstring); empty without tokens."""
    if net.p_text is None or net.a_text is None:
        return {}
    # c's partnerships' words (actors × tokens, 0/1), on this (possibly reduced) network.
    used = sp.csr_array(net.b @ pattern(net.p_text))
    used.sort_indices()
    return {"title_name": _token_overlap(net.p_text, net.a_text, p, c),
            "title_sim": _token_overlap(net.p_text, used, p, c)}


def title_weight(net: Labelled, p: np.ndarray) -> np.ndarray:
    """The summed idf of each partnership's title tokens: the largest ``title_name``/``title_sim`` can be."""
    if net.p_text is None:
        return np.zeros(p.size)
    total = np.bincount(row_index(net.p_text), weights=net.p_text.data, minlength=len(net.p_ids))
    return total[p]


#: Similar titles named in a reason.
SIMILAR_SHOWN: Final = 2


def similar_titles(net: Labelled, p: np.ndarray, c: np.ndarray) -> list[list[int]]:
    """Per pair i: up to :data:`SIMILAR_SHOWN` of c[i]'s partnerships (other than p[i]) whose titles share the
    most idf weight with p[i]'s title, best first (then by index); none that share nothing."""
    if net.p_text is None:
        return [[] for _ in range(p.size)]
    counts = np.diff(net.b.indptr)[c]
    theirs = net.b.indices[spans(net.b.indptr[c], counts)].astype(np.int64)
    owner = np.repeat(np.arange(c.size), counts)
    weight = _token_overlap(net.p_text, pattern(net.p_text), p[owner], theirs)
    keep = (weight > 0) & (theirs != p[owner])
    owner, theirs, weight = owner[keep], theirs[keep], weight[keep]
    order = np.lexsort((theirs, -weight, owner))
    owner, theirs = owner[order], theirs[order]
    first = np.searchsorted(owner, np.arange(c.size))
    last = np.minimum(np.searchsorted(owner, np.arange(c.size), side="right"), first + SIMILAR_SHOWN)
    return [theirs[a:b].tolist() for a, b in zip(first.tolist(), last.tolist())]


def _token_overlap(p_text: sp.csr_array, other: sp.csr_array, p: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per pair i: the weight of row p[i]'s tokens present in row c[i] of ``other`` (a search per token)."""
    counts = np.diff(p_text.indptr)[p]
    at = spans(p_text.indptr[p], counts)
    owner = np.repeat(np.arange(p.size), counts)
    v = other.shape[1]
    keys = row_index(other).astype(np.int64) * v + other.indices
    present = lookup(keys, np.ones(keys.size), c[owner].astype(np.int64) * v + p_text.indices[at]) > 0
    return np.bincount(owner, weights=p_text.data[at] * present, minlength=p.size)
