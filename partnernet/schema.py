"""Column names, vocabularies and the default sector list: defined once, used everywhere.

Every other module refers to these names instead of spelling column names or
sector ids itself, so a rename happens in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# --- files -------------------------------------------------------------------

NODES_FILE: Final = "nodes.csv"
EDGES_FILE: Final = "edges.csv"
SECTORS_FILE: Final = "sectors.csv"

# --- nodes.csv ---------------------------------------------------------------

ID: Final = "id"
LABEL: Final = "label"
KIND: Final = "kind"
SECTOR: Final = "sector"
TYPE: Final = "type"
START: Final = "start"
END: Final = "end"
#: Partnerships only: unnamed members per sector, written ``business:5|civil_society:1``.
DECLARED: Final = "declared"
#: The separators of a ``declared`` cell: between entries, and between a sector and its count.
DECLARED_SEP: Final = "|"
DECLARED_COUNT_SEP: Final = ":"

NODE_REQUIRED: Final = (ID,)
NODE_KNOWN: Final = (ID, LABEL, KIND, SECTOR, TYPE, START, END, DECLARED)

ACTOR: Final = "actor"
PARTNERSHIP: Final = "partnership"
KINDS: Final = (ACTOR, PARTNERSHIP)

ORG_TYPES: Final = (
    "ministry",
    "agency",
    "municipality",
    "region",
    "association",
    "union",
    "ngo",
    "business",
    "research",
    "education",
    "foundation",
    "consultancy",
    "other",
)

# --- edges.csv ---------------------------------------------------------------

SOURCE: Final = "source"
TARGET: Final = "target"
ROLE: Final = "role"
WEIGHT: Final = "weight"

EDGE_REQUIRED: Final = (SOURCE, TARGET)
EDGE_KNOWN: Final = (SOURCE, TARGET, ROLE, WEIGHT, START, END)

MEMBER: Final = "member"
ROLES: Final = ("member", "lead", "secretariat", "funder", "evaluator", "advisor", "facilitator")

#: Edge attribute telling a membership (actor–partnership) from a direct tie (actor–actor).
RELATION: Final = "relation"
MEMBERSHIP: Final = "membership"
TIE: Final = "tie"

#: Edge attributes partnernet computes itself (in every export): a user column of that name would
#: lose its values, so it is an error (see :mod:`partnernet.validate`). Nodes have none.
EDGE_COMPUTED: Final = (RELATION,)
#: Column names starting with this are kept for partnernet's working columns.
INTERNAL_PREFIX: Final = "__"

# --- sectors.csv -------------------------------------------------------------

SECTOR_COLUMNS: Final = ("id", "label_da", "label_en", "group", "color")

#: Quadruple-helix groups, in display order, with Danish and English labels.
GROUPS: Final[dict[str, tuple[str, str]]] = {
    "public": ("Offentlig", "Public"),
    "private": ("Privat", "Private"),
    "civil_society": ("Civilsamfund", "Civil society"),
    "knowledge": ("Viden", "Knowledge"),
}


@dataclass(frozen=True, slots=True)
class Sector:
    """One sector of the vocabulary: id, labels in both languages, helix group, colour."""

    id: str
    label_da: str
    label_en: str
    group: str
    color: str

    def label(self, lang: str = "da") -> str:
        return self.label_da if lang == "da" else self.label_en


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """An ordered, immutable set of sectors; the order is the display order."""

    sectors: tuple[Sector, ...]

    def __iter__(self):
        return iter(self.sectors)

    def __len__(self) -> int:
        return len(self.sectors)

    def __contains__(self, sector_id: object) -> bool:
        return any(s.id == sector_id for s in self.sectors)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    def get(self, sector_id: str) -> Sector:
        for s in self.sectors:
            if s.id == sector_id:
                return s
        raise KeyError(sector_id)

    def group_of(self, sector_id: str) -> str:
        return self.get(sector_id).group

    def groups(self) -> tuple[str, ...]:
        """Groups that occur in this vocabulary, in the canonical helix order."""
        present = {s.group for s in self.sectors}
        return tuple(g for g in GROUPS if g in present)


#: Okabe–Ito colours (colour-blind safe), one per default sector, and Paul Tol's indigo for the eighth:
#: Okabe–Ito's remaining colours are black and grey, and grey is the colour of "no sector".
DEFAULT_SECTORS: Final = Vocabulary(
    (
        Sector("state", "Stat", "State", "public", "#0072B2"),
        Sector("region", "Region", "Region", "public", "#56B4E9"),
        Sector("municipality", "Kommune", "Municipality", "public", "#009E73"),
        Sector(
            "local_gov_association",
            "Kommunale og regionale foreninger",
            "Local government association",
            "public",
            "#332288",
        ),
        Sector("business", "Erhverv", "Business", "private", "#E69F00"),
        Sector(
            "business_association",
            "Erhvervs- og arbejdsmarkedsorganisation",
            "Trade association or union",
            "private",
            "#D55E00",
        ),
        Sector("civil_society", "Civilsamfund", "Civil society", "civil_society", "#CC79A7"),
        Sector("knowledge", "Viden og uddannelse", "Research and education", "knowledge", "#F0E442"),
    )
)

#: Colour for nodes without a sector (partnerships, unknown).
NO_SECTOR_COLOR: Final = "#6b6b6b"
PARTNERSHIP_COLOR: Final = "#3d3d3d"
