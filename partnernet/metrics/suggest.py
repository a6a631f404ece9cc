"""Whom to invite: one score per candidate, with weights learned on the user's own network.

The score of a candidate c for a partnership p is a weighted sum of the
features of :mod:`partnernet.metrics.features`, each transformed so that it
is comparable across partnerships:

* ``md`` and ``heat`` divided by their largest value among p's candidates
  (0…1);
* ``aa``, ``cn``, ``tie``, ``shared``, ``degree`` and the counts of matching
  partnerships or members (``pn:…``, ``an:…``, ``years_n``) as
  ``log(1 + x)``: each further one counts less, and the popularity term is
  restrained so one hub does not fill every list;
* attribute shares and ``years`` as they are (0…1).

The weights are learned by the back-test protocol itself
(:func:`draw_cases`): members of partnerships of the given network are
hidden, in :data:`ROUNDS` seeded draws (the first :data:`SOLE_ROUNDS` by the
protocol, the others from any member that takes part elsewhere, for more
cases), and two models are fitted so the hidden member scores highest: a
conditional logit (softmax over each case's candidates, L2-penalised; the
listwise objective of a discrete choice) and the same refined to maximise a
smooth hit@10 (:func:`_fit_top`). Both, a fixed default and the three
baselines in their conventional form (mass diffusion and common neighbours
with ties broken by popularity, popularity) are compared by 3-fold
cross-validation on those training cases, and the best by hit@10 (then
MRR@10) is used: the method never ranks worse, on held-out cases of the
user's network, than the best baseline. With fewer than :data:`MIN_CASES`
training cases (nine partnerships, say) the fixed default is used.
Everything is seeded and deterministic.

Sources: T. Zhou et al., "Solving the apparent diversity–accuracy dilemma of
recommender systems", PNAS 107 (2010) (mass diffusion, heat conduction);
L. Lü and T. Zhou, "Link prediction in complex networks: a survey", Physica A
390 (2011) (common neighbours, resource allocation, the back-test protocol).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.optimize import minimize

from . import features
from ._engine import lookup, row_index

#: Fewer training cases than this and the fixed default weights are used.
MIN_CASES: Final = 60
#: At most this many training cases are drawn, in at most this many draws of the protocol.
MAX_CASES: Final = 400
ROUNDS: Final = 4
SOLE_ROUNDS: Final = 2
#: Per training case: the linked candidates with the most mass diffusion kept as they are ("hard"
#: negatives), and how many of the other linked and of the unlinked ones are sampled (weighted, so the
#: softmax still counts all of them).
HARD: Final = 50
NEGATIVES: Final = 100
#: Suggestions per case that the selection and the back-test look at.
TOP: Final = 10
#: L2 penalty on the standardised weights.
PENALTY: Final = 1.0
#: The learned models compared: the conditional logit, and the logit refined toward the top ten.
LEARNED: Final = ("learned", "learned_top10")
#: Smoothing of the top-10 objective (:func:`_fit_top`), in standard deviations of the score and in candidates.
_TAU: Final = 0.5
_KAPPA: Final = 2.0
#: Decimals of the score: ranks are computed on the rounded score, so equal evidence gives equal ranks.
DECIMALS: Final = 6

_PER_QUERY_MAX: Final = ("md", "heat")
_LOG: Final = ("aa", "cn", "tie", "shared", "degree")

#: The fixed default: proximity first, attributes next, a little popularity.
DEFAULT_WEIGHTS: Final = {"md": 1.0, "heat": 0.25, "cn": 0.5, "tie": 0.25, "shared": 0.25, "degree": 0.1,
                          "years": 0.25}
_DEFAULT_ATTRIBUTE: Final = 0.5

#: The three baselines as weights (each transform is monotone, so the order is that of the raw measure).
BASELINES: Final = {
    "popularity": {"degree": 1.0},
    "common_neighbours": {"cn": 1.0},
    "mass_diffusion": {"md": 1.0},
}
#: How each baseline breaks its ties in its conventional form: common neighbours and mass diffusion by
#: popularity (then at random); popularity at random.
BASELINE_THEN: Final = {"popularity": None, "common_neighbours": "degree", "mass_diffusion": "degree"}


@dataclass(frozen=True)
class Model:
    """Weights of the score, by feature; ``kind`` says where they come from.

    ``kind`` is ``learned``, ``default`` or a baseline name; ``cases`` the
    number of training cases drawn; ``validation`` the cross-validated
    (hit@10, MRR@10) of every model that was compared.
    """

    kind: str
    weights: dict[str, float]
    cases: int = 0
    validation: tuple[tuple[str, float, float], ...] = ()
    then: str | None = None

    def score(self, rows: features.Rows) -> np.ndarray:
        """The score of every row, rounded to :data:`DECIMALS` (rows sorted by query)."""
        return np.round(design(rows, tuple(self.weights)) @ np.array(list(self.weights.values())), DECIMALS)

    def tiebreak(self, rows: features.Rows) -> np.ndarray | None:
        """What breaks ties of the score (higher first; a baseline's popularity), or ``None``: ties stay ties."""
        return None if self.then is None else rows.values[self.then]


def baseline(kind: str) -> Model:
    """The baseline ``kind`` of :data:`BASELINES` in its conventional form (with its tie-break)."""
    return Model(kind, dict(BASELINES[kind]), then=BASELINE_THEN[kind])


def default_model(names: Sequence[str]) -> Model:
    """The fixed fallback weights over the features ``names``."""
    w = {n: DEFAULT_WEIGHTS.get(n, _DEFAULT_ATTRIBUTE) for n in names}
    return Model("default", w)


def design(rows: features.Rows, names: Sequence[str]) -> np.ndarray:
    """The transformed features (rows × names); see the module docstring."""
    out = np.zeros((len(rows), len(names)))
    for j, n in enumerate(names):
        x = rows.values[n]
        if n in _PER_QUERY_MAX:
            top = rows.values.get(f"{n}_max")
            top = _group_max(rows.query, x) if top is None else top
            x = np.divide(x, top, out=np.zeros_like(x), where=top > 0)
        elif n in _LOG or is_count(n):
            x = np.log1p(x)
        out[:, j] = x
    return out


def is_count(name: str) -> bool:
    """Whether feature ``name`` is a count of matching partnerships or members (used as log(1 + x))."""
    return name == "years_n" or name.startswith(("pn:", "an:"))


def _group_max(query: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per row, the largest ``x`` of its query (rows sorted by query)."""
    if x.size == 0:
        return x
    starts = np.flatnonzero(np.r_[True, query[1:] != query[:-1]])
    top = np.maximum.reduceat(x, starts)
    return np.repeat(top, np.diff(np.r_[starts, x.size]))


# --- evaluation ------------------------------------------------------------------


def expected_hits(query: np.ndarray, score: np.ndarray, positive: np.ndarray, n_cases: int,
                  ks: Sequence[int] = (1, 5, 10), then: np.ndarray | None = None,
                  ) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """Per case: the chance that the positive row is within the first k, and its reciprocal rank (0 after
    :data:`TOP`), when ties are broken by ``then`` (higher first) and then at random.

    With ``g`` candidates ranked higher and ``t`` tied (itself included) the
    positive's place is uniform on g+1 … g+t; so ties never help a method.
    """
    higher, tied = _higher_tied(query, score, positive, n_cases, np.ones(score.size), then)
    found = np.zeros(n_cases, dtype=bool)
    found[query[positive]] = True
    tied = np.where(found, np.maximum(tied, 1), 1)
    hits = {k: np.where(found, np.clip((k - higher) / tied, 0.0, 1.0), 0.0) for k in ks}
    return hits, np.where(found, _reciprocal(higher, tied), 0.0)


def _higher_tied(query: np.ndarray, score: np.ndarray, positive: np.ndarray, n_cases: int, weight: np.ndarray,
                 then: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Per case: the (weighted) number of rows ranked above the positive row, and tied with it (itself included)."""
    ref = np.full(n_cases, np.nan)
    ref[query[positive]] = score[positive]
    ref = ref[query]
    above, same = score > ref, score == ref
    if then is not None:
        ref_t = np.full(n_cases, np.nan)
        ref_t[query[positive]] = then[positive]
        ref_t = ref_t[query]
        above |= same & (then > ref_t)
        same &= then == ref_t
    higher = np.bincount(query, weights=weight * above, minlength=n_cases)
    tied = np.bincount(query, weights=weight * same, minlength=n_cases)
    return higher, tied


def _reciprocal(higher: np.ndarray, tied: np.ndarray) -> np.ndarray:
    """Expected reciprocal rank (0 after :data:`TOP`) of a place uniform on higher+1 … higher+tied."""
    tied = np.maximum(tied, 1)
    h = np.floor(higher + 1e-9)
    # Mean of 1/r over the places within TOP: harmonic numbers H(min(h+t, TOP)) − H(h), divided by t.
    harmonic = np.r_[0.0, np.cumsum(1.0 / np.arange(1, TOP + 1))]
    upper = np.clip(np.floor(h + tied + 1e-9), 0, TOP).astype(np.int64)
    lower = np.clip(h, 0, TOP).astype(np.int64)
    return np.where(h < TOP, (harmonic[upper] - harmonic[lower]) / tied, 0.0)


# --- learning --------------------------------------------------------------------


@dataclass
class Training:
    """Rows of the training cases: features, the case of each row, the hidden member's rows, sample weights."""

    rows: features.Rows
    positive: np.ndarray
    weight: np.ndarray
    n_cases: int


def training_rows(net: features.Arrays, queries: np.ndarray, hidden: np.ndarray, sector: np.ndarray,
                  seed: int) -> Training:
    """Candidate rows of training cases (query i hides actor ``hidden[i]`` of sector ``sector[i]``).

    Per case the hidden member and the :data:`HARD` linked candidates with
    the most mass diffusion are kept; of the other linked candidates and of
    the unlinked ones :data:`NEGATIVES` each are sampled (seeded) and
    weighted so they stand for all of them.
    """
    n, nq = len(net.a_ids), len(queries)
    wanted = np.zeros((nq, net.n_sectors), dtype=bool)
    wanted[np.arange(nq), sector] = True
    rows = features.proximity_rows(net, queries, wanted, linked_only=True)
    rng = np.random.default_rng(seed)
    pos = rows.cand == hidden[rows.query]
    md_rank = place_in_group(rows.query, np.where(pos, -np.inf, -rows.values["md"]), rng.random(len(rows)))
    hard = pos | (md_rank <= HARD)
    place = place_in_group(rows.query * 2 + hard, rng.random(len(rows)), np.zeros(len(rows)))
    others = np.bincount(rows.query, weights=~hard, minlength=nq)
    keep = hard | (place < NEGATIVES)
    weight = np.where(hard, 1.0, others[rows.query] / np.minimum(others[rows.query], NEGATIVES).clip(1))
    linked = rows.take(np.flatnonzero(keep))
    weight = weight[keep]
    # Unlinked candidates: a sample of the sector's actors that are neither linked nor members.
    by_sector = [np.flatnonzero(net.sector == s) for s in range(net.n_sectors)]
    linked_keys = linked.query * n + linked.cand
    all_linked = np.bincount(rows.query, minlength=nq)
    q_parts, c_parts = [], []
    for i in range(nq):
        pool = by_sector[int(sector[i])]
        take = pool[np.sort(rng.choice(pool.size, size=min(NEGATIVES, pool.size), replace=False))]
        q_parts.append(np.full(take.size, i))
        c_parts.append(take)
    uq = np.concatenate(q_parts) if q_parts else np.zeros(0, np.int64)
    uc = np.concatenate(c_parts) if c_parts else np.zeros(0, np.int64)
    free = (lookup(np.sort(rows.query * n + rows.cand), np.ones(len(rows)), uq * n + uc) == 0)
    free &= ~features._is_member(net, queries[uq], uc) & (uc != hidden[uq])
    uq, uc = uq[free], uc[free]
    members_in = np.array([int((net.sector[net.members(int(p))] == s).sum()) for p, s in zip(queries, sector)])
    n_free = np.array([by_sector[int(s)].size for s in sector]) - members_in - all_linked
    hidden_free = lookup(np.sort(linked_keys), np.ones(linked_keys.size), np.arange(nq) * n + hidden) == 0
    n_free -= hidden_free
    drawn = np.bincount(uq, minlength=nq)
    u_weight = np.maximum(n_free[uq], 1) / np.maximum(drawn[uq], 1)
    # The hidden member as a row of its own where it is not linked.
    hq = np.flatnonzero(hidden_free)
    q_all = np.concatenate([linked.query, uq, hq])
    c_all = np.concatenate([linked.cand, uc, hidden[hq]])
    zeros = np.zeros(uq.size + hq.size)
    values = {k: np.concatenate([v, zeros]) for k, v in linked.values.items()}
    values["degree"] = net.k_a[c_all]
    weights = np.concatenate([weight, u_weight, np.ones(hq.size)])
    order = np.lexsort((c_all, q_all))
    out = features.Rows(q_all[order], c_all[order], {k: v[order] for k, v in values.items()})
    positive = out.cand == hidden[out.query]
    return Training(features.add_attributes(net, queries, out), positive, weights[order], nq)


def place_in_group(group: np.ndarray, key: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Position (0, 1, …) of each row within its group when ordered by ``key`` then ``tie``."""
    order = np.lexsort((tie, key, group))
    g = group[order]
    first = np.r_[0, np.flatnonzero(np.diff(g)) + 1] if g.size else np.zeros(0, np.int64)
    out = np.empty(group.size, dtype=np.int64)
    out[order] = np.arange(g.size) - np.repeat(first, np.diff(np.r_[first, g.size]))
    return out


def fit(train: Training, names: Sequence[str], cases: np.ndarray | None = None,
        kinds: Sequence[str] = LEARNED) -> dict[str, dict[str, float]]:
    """Weights over ``names`` from the training cases ``cases`` (all by default), per kind of ``kinds``
    (of :data:`LEARNED`).

    ``learned`` is the conditional logit; ``learned_top10`` the same refined
    to put the hidden member within the first :data:`TOP` (:func:`_fit_top`);
    the refinement is made only when asked for.
    """
    rows, pos, wt = train.rows, train.positive, train.weight
    if cases is not None:
        sel = np.isin(rows.query, cases)
        rows, pos, wt = rows.take(np.flatnonzero(sel)), pos[sel], wt[sel]
    x = design(rows, names)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = (x - mu) / sd
    found = {"learned": _fit_logit(rows.query, z, pos, wt)}
    if "learned_top10" in kinds:
        found["learned_top10"] = _fit_top(rows.query, z, pos, wt, found["learned"])
    return {kind: {n: float(v) for n, v in zip(names, found[kind] / sd)} for kind in kinds}


def _fit_logit(query: np.ndarray, z: np.ndarray, pos: np.ndarray, wt: np.ndarray) -> np.ndarray:
    """Conditional-logit weights on standardised features ``z`` (softmax over each case's rows, L2)."""
    starts = np.flatnonzero(np.r_[True, query[1:] != query[:-1]]) if query.size else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, query.size])
    logw = np.log(wt)
    z_pos = z[pos].sum(axis=0)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w + logw
        top = np.repeat(np.maximum.reduceat(s, starts), sizes)
        e = np.exp(s - top)
        total = np.repeat(np.add.reduceat(e, starts), sizes)
        lse = top[starts] + np.log(total[starts])
        value = lse.sum() - z_pos @ w + 0.5 * PENALTY * w @ w
        grad = (e / total) @ z - z_pos + PENALTY * w
        return float(value), grad

    return minimize(loss, np.zeros(z.shape[1]), jac=True, method="BFGS", options={"maxiter": 200}).x


def _fit_top(query: np.ndarray, z: np.ndarray, pos: np.ndarray, wt: np.ndarray, w0: np.ndarray) -> np.ndarray:
    """Weights that maximise a smooth hit@:data:`TOP`, started from ``w0`` (a local refinement).

    Per case, the number of candidates above the hidden member is smoothed as
    ``N = Σ wt·σ((s_c − s_hidden)/τ)`` and the hit as ``σ((TOP + ½ − N)/κ)``;
    the sum of hits minus the L2 penalty is maximised with L-BFGS. Unlike the
    logit it gives up on cases that cannot reach the first ten instead of
    pulling every case up.
    """
    _, q = np.unique(query, return_inverse=True)
    n_cases = int(q.max()) + 1 if q.size else 0
    at = np.full(n_cases, -1)
    at[q[pos]] = np.flatnonzero(pos)
    neg = ~pos & (at[q] >= 0)
    qq, wq = q[neg], wt[neg]
    dz = z[neg] - z[at[qq]]
    has = at >= 0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = _sigmoid(dz @ w / _TAU)
        n = np.bincount(qq, weights=wq * s, minlength=n_cases)
        h = _sigmoid((TOP + 0.5 - n) / _KAPPA)
        value = -h[has].sum() + 0.5 * PENALTY * w @ w
        grad = (h * (1 - h) / _KAPPA)[qq] * wq * s * (1 - s) / _TAU @ dz + PENALTY * w
        return float(value), grad

    return minimize(loss, w0, jac=True, method="BFGS", options={"maxiter": 300}).x


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))


def select(train: Training, names: Sequence[str], seed: int) -> Model:
    """The best of learned, default and baseline weights by 3-fold cross-validation (see the module docstring)."""
    if train.n_cases < MIN_CASES:
        return Model("default", default_model(names).weights, train.n_cases)
    folds = np.random.default_rng(seed).permutation(train.n_cases) % 3
    results = []
    fixed = {**{k: baseline(k) for k in BASELINES}, "default": default_model(names)}
    for kind, m in fixed.items():
        hits, rr = _evaluate(train, m)
        results.append((kind, float(hits.mean()), float(rr.mean())))
    held_hits = {kind: np.zeros(train.n_cases) for kind in LEARNED}
    held_rr = {kind: np.zeros(train.n_cases) for kind in LEARNED}
    for f in range(3):
        held = folds == f
        for kind, w in fit(train, names, np.flatnonzero(~held)).items():
            hits, rr = _evaluate(train, Model(kind, w))
            held_hits[kind][held], held_rr[kind][held] = hits[held], rr[held]
    results += [(kind, float(held_hits[kind].mean()), float(held_rr[kind].mean())) for kind in LEARNED]
    kind, _, _ = max(results, key=lambda r: (round(r[1], 9), round(r[2], 9)))
    chosen = Model(kind, fit(train, names, kinds=(kind,))[kind]) if kind in LEARNED else fixed[kind]
    return Model(kind, dict(chosen.weights), train.n_cases, tuple(results), chosen.then)


def _evaluate(train: Training, model: Model) -> tuple[np.ndarray, np.ndarray]:
    # Sampled unlinked rows stand for more: a tie-aware count weighs them, so count with the weights.
    higher, tied = _higher_tied(train.rows.query, model.score(train.rows), train.positive, train.n_cases,
                                train.weight, model.tiebreak(train.rows))
    tied = np.maximum(tied, 1)
    return np.clip((TOP - higher) / tied, 0.0, 1.0), _reciprocal(higher, tied)


# --- the protocol's cases, and learning from them ----------------------------------


def draw_cases(net: features.Arrays, n: int, seed: int, *, sole: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``n`` (partnership, hidden member) cases of the back-test protocol, seeded, sorted by partnership.

    A partnership qualifies with at least 3 members; the hidden member must be
    the only member of its sector there and take part in at least one other
    partnership. Partnerships are drawn at random without replacement, and one
    qualifying member of each.
    """
    a = row_index(net.bt)  # partnership of each membership (bt rows), actor in bt.indices
    parts, actors = a.astype(np.int64), net.bt.indices.astype(np.int64)
    sec = net.sector[actors]
    k = net.n_sectors
    per = np.bincount(parts * (k + 1) + np.where(sec >= 0, sec, k), minlength=len(net.p_ids) * (k + 1))
    ok = (sec >= 0) & ((per[parts * (k + 1) + np.maximum(sec, 0)] == 1) | (not sole))
    ok &= (net.k_a[actors] >= 2) & (net.k_p[parts] >= 3)
    parts, actors = parts[ok], actors[ok]
    eligible = np.unique(parts)
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.permutation(eligible)[:n])
    starts = np.searchsorted(parts, chosen)
    counts = np.searchsorted(parts, chosen, side="right") - starts
    pick = starts + (rng.random(chosen.size) * counts).astype(np.int64)
    return chosen, actors[pick]


def learn(net: features.Arrays, seed: int) -> Model:
    """The model for ``net``: training cases drawn on ``net`` itself (seeded), then :func:`select`.

    Up to :data:`ROUNDS` draws of the protocol are made (seeds ``seed``, ``seed + 1``, …), each on its
    own reduced network; a (partnership, member) pair drawn before is not used again, and drawing
    stops at :data:`MAX_CASES` cases.
    """
    names = features.feature_names(net)
    seen: set[tuple[int, int]] = set()
    parts_all: list[Training] = []
    total = 0
    for r in range(ROUNDS):
        parts, hidden = draw_cases(net, MAX_CASES - total, seed + r, sole=r < SOLE_ROUNDS)
        new = np.array([(int(p), int(h)) not in seen for p, h in zip(parts, hidden)], dtype=bool)
        parts, hidden = parts[new], hidden[new]
        if parts.size == 0:
            continue
        seen.update(zip(parts.tolist(), hidden.tolist()))
        parts_all.append(training_rows(net.without(hidden, parts), parts, hidden, net.sector[hidden], seed + r))
        total += int(parts.size)
        if total >= MAX_CASES:
            break
    if total < MIN_CASES:
        return Model("default", default_model(names).weights, total)
    return select(_concat_training(parts_all), names, seed)


def _concat_training(parts: list[Training]) -> Training:
    """One :class:`Training` of several, the cases numbered on."""
    offsets = np.cumsum([0] + [t.n_cases for t in parts])
    rows = features.Rows(np.concatenate([t.rows.query + o for t, o in zip(parts, offsets)]),
                         np.concatenate([t.rows.cand for t in parts]),
                         {k: np.concatenate([t.rows.values[k] for t in parts]) for k in parts[0].rows.values})
    return Training(rows, np.concatenate([t.positive for t in parts]), np.concatenate([t.weight for t in parts]),
                    int(offsets[-1]))
