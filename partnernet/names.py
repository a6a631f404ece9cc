"""Names for ids: the one resolver of every option and data column that takes an id.

A user names a partnership, an actor, a sector, a helix group, an
organisation type or a role the way the site shows it: by its id or by its
label, in Danish or English. :class:`Names` turns such a name into the id:

1. an exact id wins;
2. then an exact label;
3. then any id or label equal to the name after :func:`fold` (case, accents,
   ``-``/``_`` and runs of spaces ignored; æ, ø, å also as ae, oe, aa), if that
   is unique.

A name that folds to several ids is ambiguous: :meth:`Names.resolve` raises
:class:`~partnernet.errors.OptionError` (a usage error, exit 2) listing the
candidates; an unknown name gets a did-you-mean. ``validate`` reads the
``sector``, ``type``, ``role`` and ``kind`` columns through the same tables
(:meth:`Names.candidates`), so an option and a cell accept the same names.

A leaf module: the graph is only read through ``g.nodes``, so nothing heavy
is imported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from . import schema
from .errors import OptionError, close_matches, show_value

#: Letters that carry no combining mark in Unicode but are read as their base letters.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe", "ı": "i"})
#: How Danish letters are written without them (the bundled ids do it: ``miljoestyrelsen``).
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_SPACES = re.compile(r"[\s_\-]+")
#: The blocks of combining marks (accents once NFKD has taken a letter apart).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
#: Fuzzy did-you-mean only among this many names (difflib is quadratic-ish; exact hits always work).
_SUGGEST_MAX = 5_000
#: Candidates listed in an ambiguity message.
_LIST_MAX = 10


def fold(name: str, *, danish: bool = False) -> str:
    """The form names are compared in: case-folded, accents removed, ``-``/``_``/spaces as one space.

    With ``danish``, æ, ø and å are written ae, oe and aa first, as Danish does without them;
    :class:`Names` files every name under both forms, so "Aarhus", "Arhus" and "Århus" meet.

    >>> fold("  Miljø-  og FØDEVAREministeriet "), fold("Århus"), fold("Århus", danish=True), fold("civil_society")
    ('miljo og fodevareministeriet', 'arhus', 'aarhus', 'civil society')
    """
    text = name.casefold()
    if not text.isascii():  # most ids and many labels are ASCII: nothing to take apart
        text = unicodedata.normalize("NFKD", text.translate(_DANISH) if danish else text)
        text = _COMBINING.sub("", text).translate(_LETTERS)
    return _SPACES.sub(" ", text).strip()


class Names:
    """Which id each name stands for, for one kind of thing (``what``: "sector", "partnership", …).

    ``entries`` are ``(id, names)`` pairs, in display order; the names are
    labels (``None`` and empty ones are skipped). The id itself is always a
    name of its entry.

    >>> n = Names("sector", [("state", ["Stat", "State"]), ("civil_society", ["Civilsamfund", "Civil society"])])
    >>> n.resolve("civilsamfund"), n.resolve("STAT"), n.resolve("Civil-Society")
    ('civil_society', 'state', 'civil_society')
    """

    def __init__(self, what: str, entries: Iterable[tuple[str, Iterable[str | None]]]) -> None:
        self.what = what
        self.labels: dict[str, str] = {}
        self._names: dict[str, list[str]] = {}
        self._exact_label: dict[str, list[str]] = {}
        self._folded_names: dict[str, list[str]] | None = None
        for id_, names in entries:
            if id_ in self.labels:
                continue
            names = [n for n in names if n]
            self.labels[id_] = names[0] if names else id_
            self._names[id_] = names
            for name in names:
                _add(self._exact_label, name, id_)

    @property
    def _folded(self) -> dict[str, list[str]]:
        """Folded name → ids, built when first needed: an exact id or label never needs it."""
        if self._folded_names is None:
            self._folded_names = {}
            for id_, names in self._names.items():
                for name in (id_, *names):
                    key = fold(name)
                    _add(self._folded_names, key, id_)
                    if not name.isascii():
                        _add(self._folded_names, fold(name, danish=True), id_)
        return self._folded_names

    @property
    def ids(self) -> list[str]:
        return list(self.labels)

    def candidates(self, name: str) -> list[str]:
        """The ids ``name`` may stand for: one when it is unambiguous, none when unknown."""
        if name in self.labels:
            return [name]
        stripped = name.strip()
        if stripped in self.labels:
            return [stripped]
        return (self._exact_label.get(stripped) or self._folded.get(fold(name))
                or self._folded.get(fold(name, danish=True), []))

    def resolve(self, name: str, *, flag: str | None = None) -> str:
        """The id ``name`` stands for; :class:`OptionError` when it is unknown or ambiguous."""
        hits = self.candidates(name)
        if len(hits) == 1:
            return hits[0]
        where = f"{flag}: " if flag else ""
        if hits:
            raise OptionError(f"{where}{show_value(name)} is ambiguous: it names {len(hits)} {self.what}s: "
                              f"{self.show(hits)}; give the id")
        choices = f"; choose one of {', '.join(self.labels)}" if len(self.labels) <= 12 else ""
        raise OptionError(f"{where}unknown {self.what} {show_value(name)}{self.hint(name) or choices}")

    def resolve_all(self, names: Iterable[str], *, flag: str | None = None) -> list[str]:
        """:meth:`resolve` for each name, each id once, in the order given."""
        return list(dict.fromkeys(self.resolve(n, flag=flag) for n in names))

    def show(self, ids: Sequence[str]) -> str:
        """Ids quoted with their labels: ``"state" (Stat), "region" (Region)``; past ten, counted."""
        shown = [show_value(i) + (f" ({self.labels[i]})" if self.labels.get(i, i) != i else "") for i in ids[:_LIST_MAX]]
        more = f", … {len(ids) - _LIST_MAX} more" if len(ids) > _LIST_MAX else ""
        return ", ".join(shown) + more

    def hint(self, name: str) -> str:
        """``; did you mean "x"?`` for the closest id, else ``"x" (Label)`` for the closest label, or ``''``."""
        if len(self._folded) > _SUGGEST_MAX:
            return ""
        key = fold(name)
        ids = {fold(i): i for i in reversed(self.labels)}
        close = close_matches(key, list(ids), n=1)
        if close:
            return f"; did you mean {show_value(ids[close[0]])}?"
        close = close_matches(key, list(self._folded), n=1)
        return f"; did you mean {self.show(self._folded[close[0]][:1])}?" if close else ""


def _add(table: dict[str, list[str]], key: str, id_: str) -> None:
    ids = table.setdefault(key, [])
    if id_ not in ids:
        ids.append(id_)


# --- the tables ----------------------------------------------------------------------------------


def sector_names(vocabulary: schema.Vocabulary) -> Names:
    """Sectors by id, Danish or English label."""
    return Names("sector", ((s.id, (s.label_da, s.label_en)) for s in vocabulary))


def group_names(groups: Iterable[str] | None = None) -> Names:
    """Quadruple-helix groups (``groups``, default all) by id, Danish or English label."""
    return Names("group", ((g, schema.GROUPS[g]) for g in (groups or schema.GROUPS)))


def type_names() -> Names:
    """Organisation types by id, Danish or English word (as the maps show them)."""
    return _data_words("type", schema.ORG_TYPES)


def role_names() -> Names:
    """Membership roles by id, Danish or English word."""
    return _data_words("role", schema.ROLES)


def kind_names() -> Names:
    """Node kinds: actor or partnership, also in Danish."""
    return Names("kind", [(schema.ACTOR, ("aktør", "actor")), (schema.PARTNERSHIP, ("partnerskab", "partnership"))])


def _data_words(what: str, ids: Sequence[str]) -> Names:
    from .text import map_text

    return Names(what, ((i, (map_text("da", f"{what}.{i}"), map_text("en", f"{what}.{i}"))) for i in ids))


def node_names(g: Any, kind: str) -> Names:
    """The nodes of ``kind`` (actor or partnership) of graph ``g`` by id or label, sorted by id."""
    nodes = sorted((n, d.get(schema.LABEL)) for n, d in g.nodes(data=True) if d.get(schema.KIND) == kind)
    return Names(kind, ((n, (label,)) for n, label in nodes))


def resolve_node(g: Any, name: str, kind: str, *, flag: str | None = None) -> str:
    """The id of the ``kind`` node that ``name`` (id or label) names in ``g``; see :meth:`Names.resolve`.

    An exact id is answered without building the table of names, which on
    100,000 actors costs a fraction of a second.
    """
    if name in g and g.nodes[name].get(schema.KIND) == kind:
        return name
    if name in g:
        where = f"{flag}: " if flag else ""
        raise OptionError(f"{where}{show_value(name)} is {'an' if kind == schema.PARTNERSHIP else 'a'} "
                          f"{g.nodes[name].get(schema.KIND)}, not {'a' if kind == schema.PARTNERSHIP else 'an'} {kind}")
    return node_names(g, kind).resolve(name, flag=flag)
