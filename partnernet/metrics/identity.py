"""Which node of an older snapshot is which node of a newer one: by id, or by normalised label.

Two snapshots of a partnership landscape (two data folders, or one at two
``--as-of`` years) name the same actor or partnership by the same id, as a
rule. Data without stable ids can be matched by label instead
(``by="label"``): labels are compared after :func:`normalise_label`, so
"Aarhus  Kommune" and "aarhus kommune." are one actor. An id that changed can
be declared in a rename file (:func:`partnernet.load.read_renames`); a
declared rename is used before anything else, in either mode.

A match is never guessed: a normalised label held by two nodes of a snapshot
matches nothing and is a located warning
(``nodes.csv:12:2 (label): "KL" – …``), as is a rename naming an id that a
snapshot does not have. Actors match actors and partnerships match
partnerships only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from .. import schema
from ..dataset import Dataset
from ..defaults import MATCH_BY
from ..errors import OptionError, Problem, show_list, show_value
from ..load import Rename

MatchBy = Literal["id", "label"]

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_label(label: str) -> str:
    """A label as matching compares it: NFKC, case-folded, punctuation as spaces, spaces collapsed.

    Letters stay as they are (å is not a), so Danish names keep their meaning.

    >>> normalise_label("  Aarhus   Kommune. "), normalise_label("KØBENHAVNS KOMMUNE")
    ('aarhus kommune', 'københavns kommune')
    """
    text = unicodedata.normalize("NFKC", label).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Where:
    """Where a snapshot's nodes are in its files, for located warnings: the nodes file as messages name
    it, node id → physical line, and column name → field number (see :class:`~partnernet.dataset.Dataset`)."""

    file: str = schema.NODES_FILE
    lines: Mapping[str, int] = field(default_factory=dict)
    columns: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: Dataset) -> Where:
        """The places of ``dataset``'s nodes (its nodes file is the first of its sources)."""
        file = dataset.sources[0] if dataset.sources else schema.NODES_FILE
        return cls(file, dataset.node_lines, dataset.node_columns)

    def problem(self, node: str, name: str, value: object, reason: str) -> Problem:
        return Problem(self.file, self.lines.get(node, 0), self.columns.get(name, 1), name, value, reason, "warning")


@dataclass(frozen=True)
class Matching:
    """Old id → new id, for the actors and the partnerships matched, and the warnings found on the way."""

    actors: dict[str, str]
    partnerships: dict[str, str]
    warnings: tuple[Problem, ...] = ()

    def new_id(self, old: str) -> str | None:
        """The id in the newer snapshot of a node of the older one (None: not matched)."""
        return self.actors.get(old) or self.partnerships.get(old)


def match_snapshots(old: nx.Graph, new: nx.Graph, *, by: MatchBy = "id", renames: Sequence[Rename] = (),
                    renames_file: str = "renames.csv", where_old: Where | None = None,
                    where_new: Where | None = None) -> Matching:
    """Match the actors and partnerships of ``old`` to those of ``new`` (see the module docstring).

    Parameters
    ----------
    by
        ``"id"``: equal ids match; ``"label"``: equal normalised labels match,
        unless a label is held by more than one node of its kind in a snapshot.
    renames
        Declared matches (``old`` id → ``new`` id), used first.
    renames_file, where_old, where_new
        Where the renames and the snapshots' nodes are, for located warnings.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> a = graph_from_records([{"id": "1", "label": "KL"}, {"id": "2", "label": "DI"}], [])
    >>> b = graph_from_records([{"id": "x", "label": "kl"}, {"id": "y", "label": "Dansk Industri"}], [])
    >>> match_snapshots(a, b, by="label").actors
    {'1': 'x'}
    """
    if by not in MATCH_BY:
        raise OptionError(f"--match-by: {by!r} is not one of {', '.join(MATCH_BY)}")
    where_old, where_new = where_old or Where(), where_new or Where()
    kinds_old, kinds_new = dict(old.nodes(data=schema.KIND)), dict(new.nodes(data=schema.KIND))
    warnings: list[Problem] = []
    declared: dict[str, str] = {}
    for r in renames:
        reason = None
        if r.old not in kinds_old:
            reason = "old id is not in the older data"
        elif r.new not in kinds_new:
            reason = "new id is not in the newer data"
        elif kinds_old[r.old] != kinds_new[r.new]:
            reason = f"{kinds_old[r.old]} renamed to a {kinds_new[r.new]}"
        if reason:
            warnings.append(Problem(renames_file, r.line, 1, "old, new", f"{r.old}, {r.new}",
                                    f"{reason}: rename not used", "warning"))
        else:
            declared[r.old] = r.new
    taken = set(declared.values())
    found: dict[str, dict[str, str]] = {}
    for kind in (schema.ACTOR, schema.PARTNERSHIP):
        pairs = {o: n for o, n in declared.items() if kinds_old[o] == kind}
        rest_old = sorted(n for n, k in kinds_old.items() if k == kind and n not in declared)
        rest_new = sorted(n for n, k in kinds_new.items() if k == kind and n not in taken)
        if by == "id":
            here = set(rest_new)
            pairs.update((n, n) for n in rest_old if n in here)
        else:
            pairs.update(_by_label(old, new, rest_old, rest_new, where_old, where_new, warnings))
        found[kind] = dict(sorted(pairs.items()))
    return Matching(found[schema.ACTOR], found[schema.PARTNERSHIP],
                    tuple(sorted(warnings, key=lambda p: p.sort_key)))


def _by_label(old: nx.Graph, new: nx.Graph, rest_old: list[str], rest_new: list[str], where_old: Where,
              where_new: Where, warnings: list[Problem]) -> dict[str, str]:
    """Pairs of nodes whose normalised labels are equal and held by no other node of their snapshot."""
    def keys(g: nx.Graph, ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n in ids:
            out.setdefault(normalise_label(str(g.nodes[n].get(schema.LABEL) or n)), []).append(n)
        return out

    k_old, k_new = keys(old, rest_old), keys(new, rest_new)
    pairs: dict[str, str] = {}
    for key in sorted(k_old.keys() & k_new.keys()):
        a, b = k_old[key], k_new[key]
        if len(a) == 1 and len(b) == 1:
            pairs[a[0]] = b[0]
            continue
        for side, g, ids, where, other in (("older", old, a, where_old, b), ("newer", new, b, where_new, a)):
            if len(ids) < 2:
                continue
            for n in ids:
                others = [m for m in ids if m != n]
                warnings.append(where.problem(
                    n, schema.LABEL, str(g.nodes[n].get(schema.LABEL) or n),
                    f"ambiguous match by label: {show_value(n)} shares it with {show_list(others)} in the {side} data "
                    f"(the other snapshot has {show_list(other)}); not matched: declare the match in a rename file"))
    return pairs
