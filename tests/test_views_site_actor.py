"""The page of one actor, and how its partners are chosen."""

from .site_util import bundled, bundled_graph, section, site_for, table  # noqa: F401 (fixtures)


def test_actor_page_shows_partnerships_partners_measures_brokerage(bundled):
    page = bundled.page("actor", "kl")
    parts = table(section(page, "partnerships"), "actor-partnerships")
    assert len(parts.rows) == 2
    partners = table(section(page, "partners"), "actor-partners")
    assert len(partners.rows) == 10
    measures = {f.term for f in section(page, "measures").facts}
    assert {"Betweenness", "Grad", "Closeness", "Eigenvector", "PageRank"} <= measures
    broker = {f.term: f.value for f in section(page, "brokerage").facts}
    assert broker["Vigtigste mæglerrolle"]


def test_numbers_are_formatted_for_the_language(bundled_graph):
    da = site_for(bundled_graph).page("actor", "kl")
    en = site_for(bundled_graph, lang="en").page("actor", "kl")
    b_da = {f.term: f.value for f in section(da, "measures").facts}["Betweenness"]
    b_en = {f.term: f.value for f in section(en, "measures").facts}["Betweenness"]
    assert "," in b_da and "." in b_en
    assert b_da.replace(",", ".") == b_en


def test_most_shared_partners_are_those_of_the_full_ranking():
    import random

    from partnernet.views.site.actor import MAX_PARTNER_ROWS, _most_shared

    rng = random.Random(7)
    for _ in range(20):
        partners = {f"a{i:04d}" for i in range(rng.randint(MAX_PARTNER_ROWS + 1, 3 * MAX_PARTNER_ROWS))}
        shared = {m: rng.choice((1, 1, 1, 2, 2, 3)) for m in partners if rng.random() < 0.9}
        ties = {m: 1.0 for m in partners if rng.random() < 0.2}
        label = {m: rng.choice("abcAB") + m for m in partners}

        def by_label(ids):
            return sorted(ids, key=lambda m: (label[m].casefold(), m))

        full = sorted(partners, key=lambda m: (-shared.get(m, 0), m not in ties, label[m].casefold(), m))
        assert _most_shared(partners, shared, ties, by_label) == set(full[:MAX_PARTNER_ROWS])


def test_actor_page_shows_the_data_own_columns_and_membership_evidence(tmp_path):
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    from .site_util import LONG_QUOTE, write_columns_data

    g = build_graph(load(locate(write_columns_data(tmp_path))))
    page = site_for(g).page("actor", "a1")
    facts = {f.term: (f.value, f.fold) for f in section(page, "columns").facts}
    assert facts == {"country": ("Danmark", False), "kontaktperson": ("Åse Ørn", False),
                     "motto": ("<img src=x onerror=alert(1)>", False)}  # plain text: escaped when rendered
    parts = table(section(page, "partnerships"), "actor-partnerships")
    assert parts.columns[-1].label == "evidence"
    evidence = {row[0].text: row[-1] for row in parts.rows}
    assert evidence["Grøn Omstilling"].text == LONG_QUOTE and evidence["Grøn Omstilling"].cls == "long"
    assert evidence["Sund By"].text == ""
    hidden = site_for(g, hide_columns=("kontaktperson", "evidence")).page("actor", "a1")
    assert [f.term for f in section(hidden, "columns").facts] == ["country", "motto"]
    assert table(section(hidden, "partnerships"), "actor-partnerships").columns[-1].label != "evidence"
