"""The texts of a comparison of two snapshots (``partnernet diff``, the "What changed" page) and its summary.

Data, in Danish and English, merged over :mod:`partnernet.text.pages` (see
:mod:`partnernet.text` for the look-up rules), and :func:`summary_text`, the
one paragraph that says what changed, with every count in its plural form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .numbers import format_number, format_percent, plural_form

CHANGES_TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "count.diff.partnerships_added.one": "{n} nyt partnerskab",
        "count.diff.partnerships_added.other": "{n} nye partnerskaber",
        "count.diff.partnerships_removed.one": "{n} afsluttet",
        "count.diff.partnerships_removed.other": "{n} afsluttet",
        "count.diff.joined.one": "{n} nyt medlem",
        "count.diff.joined.other": "{n} nye medlemmer",
        "count.diff.joined_new_sector.one": "heraf {n} fra en sektor der manglede",
        "count.diff.joined_new_sector.other": "heraf {n} fra sektorer der manglede",
        "count.diff.left.one": "{n} medlem forlod et partnerskab",
        "count.diff.left.other": "{n} medlemmer forlod et partnerskab",
        "count.diff.role_changes.one": "{n} ny rolle",
        "count.diff.role_changes.other": "{n} nye roller",
        "count.diff.actors_added.one": "{n} ny aktør",
        "count.diff.actors_added.other": "{n} nye aktører",
        "count.diff.actors_removed.one": "{n} aktør ude",
        "count.diff.actors_removed.other": "{n} aktører ude",
        "count.diff.actors_changed.one": "{n} aktør med nyt navn, ny sektor eller type",
        "count.diff.actors_changed.other": "{n} aktører med nyt navn, ny sektor eller type",
        "count.diff.sectors_gained.one": "partnerskaberne fik {n} ny sektor",
        "count.diff.sectors_gained.other": "partnerskaberne fik {n} nye sektorer",
        "count.diff.sectors_lost.one": "mistede {n}",
        "count.diff.sectors_lost.other": "mistede {n}",
        "count.diff.eligible.one": "{n} nyt medlem fra en manglende sektor",
        "count.diff.eligible.other": "{n} nye medlemmer fra manglende sektorer",
        "diff.hits": "de tidligere forslag nævnte {hits} af {eligible} ({share})",
        "diff.and": "og",
        "diff.none": "Ingen ændringer.",
        # the What changed page and the changes sections
        "nav.changes": "Hvad er ændret",
        "changes.title": "Hvad er ændret",
        "changes.lead": "Sammenlignet med den tidligere udgave ({previous}).",
        "changes.summary": "Kort fortalt",
        "changes.partnerships": "Partnerskaber: nye, afsluttede og ændrede",
        "changes.members": "Medlemmer: nye, forladte og nye roller",
        "changes.actors": "Aktører: nye, ude og ændrede",
        "changes.coverage": "Sektorer vundet og tabt",
        "changes.suggestions": "Blev forslagene fulgt?",
        "changes.suggestions.text": "Nye medlemmer fra en sektor, partnerskabet manglede, og om de stod blandt de første {top} forslag i den tidligere udgave. Kun aktører, der fandtes i den tidligere udgave, kunne foreslås.",
        "changes.centrality": "Største bevægelser i centralitet ({measure})",
        "changes.centrality.text": "Aktører i begge udgaver, hvis plads efter {measure} steg eller faldt mest (samme mål og normalisering i begge).",
        "changes.map": "Kort over ændringerne",
        "changes.map.text": "Kortet viser netværket nu; hver aktør er mærket med sin ændring (ny i et partnerskab, forlod et partnerskab eller uændret), som står i dens beskrivelse på kortet. Antal:",
        "changes.downloads": "Ændringerne som tabeller",
        "changes.downloads.text": "Alle rækker som CSV til dansk Excel og som JSON under Downloads.",
        "changes.here": "Ændringer",
        "changes.here.none": "Ingen ændringer siden den tidligere udgave.",
        "changes.here.new_partnership": "Partnerskabet er nyt siden den tidligere udgave.",
        "changes.here.new_actor": "Aktøren er ny siden den tidligere udgave.",
        "changes.here.members": "Ændrede medlemskaber",
        "changes.here.before": "Ændret siden den tidligere udgave, hvor aktøren stod som: {before}.",
        "changes.here.sectors": "Nye sektorer: {sectors}.",
        "changes.here.lost": "Sektorer uden medlemmer nu: {sectors}.",
        "col.change": "Ændring",
        "col.before": "Før",
        "col.after": "Nu",
        "col.joined": "Nye",
        "col.left": "Forladt",
        "col.role_changes": "Nye roller",
        "col.gained": "Sektorer vundet",
        "col.lost": "Sektorer tabt",
        "col.coverage_old": "Dækning før",
        "col.coverage_new": "Dækning nu",
        "col.diversity_old": "Diversitet før",
        "col.diversity_new": "Diversitet nu",
        "col.suggested": "Foreslået",
        "col.old_rank": "Plads i forslagene",
        "col.rank_old": "Plads før",
        "col.rank_new": "Plads nu",
        "col.rank_change": "Ændring i plads",
        "badge.added": "ny",
        "badge.removed": "afsluttet",
        "badge.changed": "ændret",
        "badge.unchanged": "uændret",
        "badge.joined": "ny",
        "badge.left": "forladt",
        "badge.role": "ny rolle",
        "badge.new_sector": "ny sektor",
        "badge.actor_removed": "ude",
        "badge.rise": "op",
        "badge.fall": "ned",
        "changes.fact.partnerships_added": "Nye partnerskaber",
        "changes.fact.partnerships_removed": "Afsluttede partnerskaber",
        "changes.fact.joined": "Nye medlemskaber",
        "changes.fact.left": "Forladte medlemskaber",
        "changes.fact.hits": "Nye medlemmer fra manglende sektorer, der var foreslået",
        "change.column": "Ændring",
        "change.legend.joined": "Ny i et partnerskab",
        "change.legend.left": "Forlod et partnerskab",
        "change.legend.unchanged": "Uændret",
        "table.changes_partnerships": "Ændringer: partnerskaber",
        "table.changes_members": "Ændringer: medlemskaber",
        "table.changes_actors": "Ændringer: aktører",
        "table.changes_coverage": "Ændringer: sektorer og dækning",
        "table.changes_suggestions": "Ændringer: blev forslagene fulgt",
        "table.changes_centrality": "Ændringer: største bevægelser i centralitet",
    },
    "en": {
        "count.diff.partnerships_added.one": "{n} new partnership",
        "count.diff.partnerships_added.other": "{n} new partnerships",
        "count.diff.partnerships_removed.one": "{n} ended",
        "count.diff.partnerships_removed.other": "{n} ended",
        "count.diff.joined.one": "{n} new member",
        "count.diff.joined.other": "{n} new members",
        "count.diff.joined_new_sector.one": "{n} of them from a sector that was missing",
        "count.diff.joined_new_sector.other": "{n} of them from sectors that were missing",
        "count.diff.left.one": "{n} member left a partnership",
        "count.diff.left.other": "{n} members left a partnership",
        "count.diff.role_changes.one": "{n} role change",
        "count.diff.role_changes.other": "{n} role changes",
        "count.diff.actors_added.one": "{n} new actor",
        "count.diff.actors_added.other": "{n} new actors",
        "count.diff.actors_removed.one": "{n} actor gone",
        "count.diff.actors_removed.other": "{n} actors gone",
        "count.diff.actors_changed.one": "{n} actor with a new name, sector or type",
        "count.diff.actors_changed.other": "{n} actors with a new name, sector or type",
        "count.diff.sectors_gained.one": "the partnerships gained {n} sector",
        "count.diff.sectors_gained.other": "the partnerships gained {n} sectors",
        "count.diff.sectors_lost.one": "lost {n}",
        "count.diff.sectors_lost.other": "lost {n}",
        "count.diff.eligible.one": "{n} new member from a missing sector",
        "count.diff.eligible.other": "{n} new members from missing sectors",
        "diff.hits": "the earlier suggestions named {hits} of {eligible} ({share})",
        "diff.and": "and",
        "diff.none": "No changes.",
        "nav.changes": "What changed",
        "changes.title": "What changed",
        "changes.lead": "Compared with the previous edition ({previous}).",
        "changes.summary": "In short",
        "changes.partnerships": "Partnerships: new, ended and changed",
        "changes.members": "Members: joined, left and new roles",
        "changes.actors": "Actors: new, gone and changed",
        "changes.coverage": "Sectors gained and lost",
        "changes.suggestions": "Were the suggestions taken up?",
        "changes.suggestions.text": "New members from a sector the partnership lacked, and whether they were among the first {top} suggestions of the previous edition. Only actors in the previous edition could be suggested.",
        "changes.centrality": "Largest moves in centrality ({measure})",
        "changes.centrality.text": "Actors in both editions whose place by {measure} rose or fell the most (the same measure and normalisation in both).",
        "changes.map": "Map of the changes",
        "changes.map.text": "The map shows the network now; each actor is marked with its change (joined a partnership, left one, or unchanged), named in its description on the map. Counts:",
        "changes.downloads": "The changes as tables",
        "changes.downloads.text": "Every row as CSV for Excel and as JSON under Downloads.",
        "changes.here": "Changes",
        "changes.here.none": "No changes since the previous edition.",
        "changes.here.new_partnership": "The partnership is new since the previous edition.",
        "changes.here.new_actor": "The actor is new since the previous edition.",
        "changes.here.members": "Memberships that changed",
        "changes.here.before": "Changed since the previous edition, which had: {before}.",
        "changes.here.sectors": "New sectors: {sectors}.",
        "changes.here.lost": "Sectors without members now: {sectors}.",
        "col.change": "Change",
        "col.before": "Before",
        "col.after": "Now",
        "col.joined": "Joined",
        "col.left": "Left",
        "col.role_changes": "New roles",
        "col.gained": "Sectors gained",
        "col.lost": "Sectors lost",
        "col.coverage_old": "Coverage before",
        "col.coverage_new": "Coverage now",
        "col.diversity_old": "Diversity before",
        "col.diversity_new": "Diversity now",
        "col.suggested": "Suggested",
        "col.old_rank": "Place in the suggestions",
        "col.rank_old": "Place before",
        "col.rank_new": "Place now",
        "col.rank_change": "Change in place",
        "badge.added": "new",
        "badge.removed": "ended",
        "badge.changed": "changed",
        "badge.unchanged": "unchanged",
        "badge.joined": "new",
        "badge.left": "left",
        "badge.role": "new role",
        "badge.new_sector": "new sector",
        "badge.actor_removed": "gone",
        "badge.rise": "up",
        "badge.fall": "down",
        "changes.fact.partnerships_added": "New partnerships",
        "changes.fact.partnerships_removed": "Partnerships ended",
        "changes.fact.joined": "New memberships",
        "changes.fact.left": "Memberships ended",
        "changes.fact.hits": "New members from missing sectors that were suggested",
        "change.column": "Change",
        "change.legend.joined": "Joined a partnership",
        "change.legend.left": "Left a partnership",
        "change.legend.unchanged": "Unchanged",
        "table.changes_partnerships": "Changes: partnerships",
        "table.changes_members": "Changes: memberships",
        "table.changes_actors": "Changes: actors",
        "table.changes_coverage": "Changes: sectors and coverage",
        "table.changes_suggestions": "Changes: were the suggestions taken up",
        "table.changes_centrality": "Changes: largest moves in centrality",
    },
}

#: The clauses of the summary, each a group of counts shown together (those that are 0 are left out).
_CLAUSES: Final = (
    ("partnerships_added", "partnerships_removed"),
    ("joined", "joined_new_sector"),
    ("left",),
    ("role_changes",),
    ("actors_added", "actors_removed", "actors_changed"),
    ("sectors_gained", "sectors_lost"),
)


def _count(lang: str, key: str, n: int) -> str:
    texts = CHANGES_TEXTS[lang]
    return texts[f"count.diff.{key}.{plural_form(lang, n)}"].format(n=format_number(n, lang))


def summary_text(counts: Mapping[str, int], lang: str) -> str:
    """One paragraph that says what changed, e.g. "3 nye partnerskaber, 2 afsluttet; 11 nye medlemmer, heraf 4 fra
    sektorer der manglede." (the counts of :attr:`partnernet.metrics.diff.Diff.counts`).

    >>> summary_text({"partnerships_added": 1, "joined": 2, "joined_new_sector": 1}, "en")
    '1 new partnership; 2 new members, 1 of them from a sector that was missing.'
    >>> summary_text({}, "da")
    'Ingen ændringer.'
    """
    texts = CHANGES_TEXTS[lang]
    clauses = []
    for keys in _CLAUSES:
        parts = [_count(lang, k, counts[k]) for k in keys if counts.get(k)]
        if keys[0] == "sectors_gained" and not counts.get("sectors_gained") and parts:
            parts = [_count(lang, "sectors_gained", 0)] + parts
        if keys[0] == "sectors_gained" and len(parts) == 2:
            parts = [f"{parts[0]} {texts['diff.and']} {parts[1]}"]
        if parts:
            clauses.append(", ".join(parts))
    eligible = counts.get("suggestions_eligible", 0)
    if eligible:
        hits = counts.get("suggestions_taken_up", 0)
        clauses.append(texts["diff.hits"].format(hits=format_number(hits, lang),
                                                 eligible=_count(lang, "eligible", eligible),
                                                 share=format_percent(hits / eligible, lang)))
    if not clauses:
        return texts["diff.none"]
    text = "; ".join(clauses) + "."
    return text[0].upper() + text[1:]
