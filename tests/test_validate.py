"""Every validation rule, the typed result, "every problem at once", scale, and the CLI's exit codes."""

from __future__ import annotations

import click
import polars as pl
import pytest
from click.testing import CliRunner

from partnernet import schema as S
from partnernet.cli import cli
from partnernet.cli.common import PartnernetGroup
from partnernet.dataset import Dataset
from partnernet.errors import DataError, OutputError, PartnernetError
from partnernet.io.csvread import parse_bytes
from partnernet.load import load, locate
from partnernet.validate import validate, validate_sectors

NODES = """id,label,kind,sector,type,start,end
p1,Grøn omstilling,partnership,,,2019,
p2,Sundere liv,partnership,,,2020,2023
a,Miljøstyrelsen,actor,state,agency,,
b,Ørsted,actor,business,business,,
c,Ældre Sagen,actor,civil_society,ngo,,
d,Aarhus Universitet,actor,knowledge,research,,
"""
EDGES = """source,target,role,weight,start,end
a,p1,lead,1,2019,
b,p1,member,1,2019,
b,p2,member,2,2020,2023
c,p2,member,1,,
c,d,,1,,
"""
SECTOR_IDS = ", ".join(S.DEFAULT_SECTORS.ids)


def raw(text: str | bytes, name: str):
    return parse_bytes(text.encode("utf-8") if isinstance(text, str) else text, name)


def run(nodes: str = NODES, edges: str = EDGES, sectors: S.Vocabulary | None = S.DEFAULT_SECTORS) -> Dataset:
    return validate(raw(nodes, "nodes.csv"), raw(edges, "edges.csv"), sectors)


def problems(nodes: str = NODES, edges: str = EDGES, **kw) -> list[str]:
    """Every problem as the CLI prints it (errors first, then warnings)."""
    try:
        ds = run(nodes, edges, **kw)
    except DataError as exc:
        return [f"error: {p}" for p in exc.errors] + [f"warning: {p}" for p in exc.warnings]
    return [f"warning: {p}" for p in ds.warnings]


# --- the typed result ---------------------------------------------------------------


def test_good_data_gives_typed_tables_in_file_order():
    ds = run()
    assert ds.warnings == ()
    assert ds.nodes.columns == ["id", "label", "kind", "sector", "type", "start", "end", "declared"]
    assert ds.nodes.dtypes == [pl.String] * 5 + [pl.Int32] * 2 + [pl.List(pl.Struct({"sector": pl.String, "count": pl.Int64}))]
    assert ds.nodes["id"].to_list() == ["p1", "p2", "a", "b", "c", "d"]
    assert ds.edges.columns == ["source", "target", "role", "relation", "weight", "start", "end"]
    assert ds.edges.dtypes == [pl.String] * 4 + [pl.Float64, pl.Int32, pl.Int32]
    assert ds.edges.rows()[-1] == ("c", "d", "member", "tie", 1.0, None, None)
    assert ds.sources == ("nodes.csv", "edges.csv")


def test_defaults_and_membership_orientation():
    ds = run("id,kind\np,partnership\nx,\ny,\n", "source,target\np,x\ny,p\n")
    assert ds.nodes["kind"].to_list() == ["partnership", "actor", "actor"]
    assert ds.nodes["label"].to_list() == ["p", "x", "y"]
    assert ds.edges.select("source", "target", "role", "relation", "weight").rows() == [
        ("x", "p", "member", "membership", 1.0),
        ("y", "p", "member", "membership", 1.0),
    ]


def test_ids_stay_text_and_are_case_sensitive():
    ds = run("id,kind\np,partnership\n007,\n00,\n1E5,\n7,\nA,\na,\n",
             "source,target\n007,p\n00,p\n1E5,p\n7,p\nA,p\na,p\n")
    assert ds.nodes["id"].to_list() == ["p", "007", "00", "1E5", "7", "A", "a"]
    assert ds.edges["source"].to_list() == ["007", "00", "1E5", "7", "A", "a"]


def test_cells_are_trimmed_and_vocabulary_matched_ignoring_case():
    ds = run(" id , kind , sector , type \n p , Partnership , , \n a ,ACTOR, State ,Agency\n b,,Business,\n",
             "source,target,role\n a , p ,Lead\nb,p,FUNDER\n")
    assert ds.nodes.select("id", "kind", "sector", "type").rows() == [
        ("p", "partnership", None, None), ("a", "actor", "state", "agency"), ("b", "actor", "business", None)]
    assert ds.edges["role"].to_list() == ["lead", "funder"]


def test_extra_columns_are_kept_as_text():
    ds = run("id,kind,note\np,partnership,x\na,,007\nb,,\n", "source,target,evidence\na,p,Side 4\nb,p,\n")
    assert ds.node_extras == ("note",)
    assert ds.nodes["note"].to_list() == ["x", "007", None]
    assert ds.edge_extras == ("evidence",)


@pytest.mark.parametrize("text, value", [
    ("1", 1.0), ("1,5", 1.5), ("1.5", 1.5), (",5", 0.5), ("2,25", 2.25), ("1e3", 1000.0), (" 3 ", 3.0), ("", 1.0),
])
def test_weights(text, value):
    ds = run("id,kind\np,partnership\na,\nb,\n", f"source;target;weight\na;p;{text}\nb;p;1\n")
    assert ds.edges["weight"][0] == value


@pytest.mark.parametrize("text, year", [("2019", 2019), ("2019,0", 2019), ("2019.00", 2019), ("1000", 1000)])
def test_years(text, year):
    ds = run(f'id;kind;start\np;partnership;{text}\na;;\nb;;\n', "source,target\na,p\nb,p\n")
    assert ds.nodes["start"][0] == year


# --- one rule at a time -----------------------------------------------------------------

RULES = [
    pytest.param(NODES + ",Uden id,actor,state,,,\n", EDGES,
                 ['error: nodes.csv:8:1 (id): "" – empty id'], id="empty-id"),
    pytest.param(NODES + "a,Igen,actor,state,,,\n", EDGES,
                 ['error: nodes.csv:8:1 (id): "a" – duplicate id (first on line 4)'], id="duplicate-id"),
    pytest.param(NODES + '"a ",Igen,actor,state,,,\n', EDGES,
                 ['error: nodes.csv:8:1 (id): "a " – duplicate id (first on line 4; ids are compared without '
                  'surrounding spaces)'], id="duplicate-id-after-trim"),
    pytest.param(NODES.replace("actor,state,", "actor,Stats,"), EDGES,
                 [f'error: nodes.csv:4:4 (sector): "Stats" – unknown sector; expected one of {SECTOR_IDS}; '
                  'did you mean "state"?'], id="sector-near-a-label"),
    pytest.param(NODES.replace("actor,state,", "actor,municipalty,"), EDGES,
                 [f'error: nodes.csv:4:4 (sector): "municipalty" – unknown sector; expected one of {SECTOR_IDS}; '
                  'did you mean "municipality"?'], id="sector-typo"),
    pytest.param(NODES.replace("partnership,,,2019", "partnership,state,,2019"), EDGES,
                 ['warning: nodes.csv:2:4 (sector): "state" – a partnership has no sector; value ignored'],
                 id="partnership-with-sector"),
    pytest.param(NODES.replace("actor,state,", "actor,,"), EDGES,
                 ['warning: nodes.csv:4:4 (sector): "" – actor without a sector'], id="actor-without-sector"),
    pytest.param("id,kind\np,partnership\na,\nb,\n", "source,target\na,p\nb,p\n",
                 ['warning: nodes.csv:1:1 (sector): "" – no sector column: no actor has a sector'],
                 id="no-sector-column"),
    pytest.param(NODES.replace("p1,Grøn omstilling,partnership", "p1,Grøn omstilling,aktor1"), EDGES,
                 ['error: nodes.csv:2:3 (kind): "aktor1" – unknown kind; expected one of actor, partnership; '
                  'did you mean "actor"?'],
                 id="unknown-kind-does-not-cascade"),
    pytest.param(NODES, EDGES.replace("lead", "Leaad"),
                 ['error: edges.csv:2:3 (role): "Leaad" – unknown role; expected one of member, lead, secretariat, '
                  'funder, evaluator, advisor, facilitator; did you mean "lead"?'], id="unknown-role"),
    pytest.param(NODES, EDGES.replace("b,p2,member,2,", "b,p2,member,-inf,"),
                 ['error: edges.csv:4:4 (weight): "-inf" – not a finite number'], id="weight-minus-inf"),
    pytest.param(NODES, EDGES.replace("b,p2,member,2,", "b,p2,member,1e400,"),
                 ['error: edges.csv:4:4 (weight): "1e400" – not a finite number'], id="weight-overflow"),
    pytest.param(NODES, EDGES.replace("b,p2,member,2,", 'b,p2,member,"1.000,5",'),
                 ['error: edges.csv:4:4 (weight): "1.000,5" – not a number (write e.g. 2, 1.5 or 1,5)'],
                 id="weight-thousands-separator"),
    pytest.param(NODES, EDGES.replace("b,p2,member,2,2020,2023", "b,p2,member,2,2020,2019"),
                 ['error: edges.csv:4:6 (end): "2019" – end year is before start year 2020'], id="edge-years"),
    pytest.param(NODES.replace(",2020,2023", ",0999,3000"), EDGES,
                 ['error: nodes.csv:3:6 (start): "0999" – not a year (expected four digits, e.g. 2019)',
                  'error: nodes.csv:3:7 (end): "3000" – not a year (expected four digits, e.g. 2019)'],
                 id="year-range"),
    pytest.param(NODES.replace("Sundere liv", "Sundere\x85liv").replace("Ørsted", "Ørsted\u202e"), EDGES,
                 ['error: nodes.csv:3:2 (label): "Sundere\\x85liv" – control character U+0085 is not allowed',
                  'warning: nodes.csv:5:2 (label): "Ørsted\\u202e" – invisible formatting character U+202E kept '
                  'in free text (pages show it as written, isolated to its cell)'],
                 id="c1-and-bidi"),
    pytest.param(NODES, EDGES + ",p1,,1,,\nd,,,1,,\n",
                 ['error: edges.csv:7:1 (source): "" – empty source',
                  'error: edges.csv:8:2 (target): "" – empty target'], id="empty-ends"),
    pytest.param(NODES, EDGES + "x,p1,,1,,\nd,P2,,1,,\n",
                 ['error: edges.csv:7:1 (source): "x" – unknown node id: not in nodes.csv',
                  'error: edges.csv:8:2 (target): "P2" – unknown node id: not in nodes.csv; did you mean "p2"?'],
                 id="unknown-ends"),
    pytest.param(NODES, EDGES + "p2,p1,,1,,\n",
                 ['error: edges.csv:7:2 (target): "p1" – edge between two partnerships ("p2" and "p1"); '
                  "partnerships are linked only through shared members"], id="partnership-partnership"),
    pytest.param(NODES, EDGES + "a,a,,1,,\n",
                 ['error: edges.csv:7:2 (target): "a" – self-loop: source and target are the same node'], id="self-loop"),
    pytest.param(NODES, EDGES + "a,p1,,1,,\n",
                 ['error: edges.csv:7:1 (source, target): "a, p1" – duplicate edge: the same pair as line 2 '
                  "(a pair may appear only once)"], id="duplicate-edge"),
    pytest.param(NODES, EDGES + "d,c,,1,,\n",
                 ['error: edges.csv:7:1 (source, target): "d, c" – duplicate edge: the same pair as line 6 in reverse '
                  "order (edges are undirected, so a pair may appear only once in either order)"],
                 id="reversed-duplicate-edge"),
    pytest.param(NODES.replace("sector,type", "sector,Typ"), EDGES,
                 ['warning: nodes.csv:1:5 (Typ): "Typ" – unknown column, kept as an extra attribute; did you mean '
                  '"type"? (column names are exact and case-sensitive)'], id="look-alike-column"),
    pytest.param("id,label\n", EDGES,
                 ['error: nodes.csv:1:1 (file): "" – no nodes: the file has a header but no rows'], id="no-nodes"),
    pytest.param(NODES + "e,Ny,actor,state,,,\n", EDGES,
                 ['warning: nodes.csv:8:1 (id): "e" – isolated actor: no partnership and no tie'], id="isolated"),
    pytest.param(NODES, EDGES.replace("c,p2,member,1,,\n", ""),
                 ['warning: nodes.csv:3:1 (id): "p2" – partnership with 1 member (fewer than two)'], id="small"),
]


@pytest.mark.parametrize("nodes, edges, expected", RULES)
def test_rule(nodes, edges, expected):
    assert problems(nodes, edges) == expected


# --- declared unnamed members ------------------------------------------------------------


def declared_nodes(p1: str, p2: str = "", actor: str = "") -> str:
    """NODES with a ``declared`` column: cells for p1, p2 and actor a (quoted as given)."""
    cells = {"p1": p1, "p2": p2, "a": actor}
    lines = NODES.splitlines()
    out = [lines[0] + ",declared"]
    for line in lines[1:]:
        out.append(f"{line},{cells.get(line.split(',')[0], '')}")
    return "\n".join(out) + "\n"


def test_declared_is_parsed_to_sorted_sector_counts():
    ds = run(declared_nodes('" State : 1 | Business:5 "', "civil_society:2"))
    declared = dict(zip(ds.nodes["id"], ds.nodes["declared"].to_list()))
    assert declared["p1"] == [{"sector": "business", "count": 5}, {"sector": "state", "count": 1}]
    assert declared["p2"] == [{"sector": "civil_society", "count": 2}]
    assert declared["a"] is None and "declared" not in ds.node_extras


def test_declared_column_absent_or_empty_means_none():
    assert run().nodes["declared"].null_count() == 6
    assert run(declared_nodes("", "")).nodes["declared"].null_count() == 6


DECLARED = f"expected one of {SECTOR_IDS}"
NOT_A_COUNT = "is not a whole number (write e.g. business:3)"
NOT_AN_ENTRY = "is not sector:count (write e.g. business:5|civil_society:1)"
#: (cell as written in the CSV, the reason for the one error it gives)
DECLARED_RULES = [
    pytest.param("busines:5", f'unknown sector "busines"; {DECLARED}; did you mean "business"?', id="typo"),
    pytest.param("Erhvervsliv:5", f'unknown sector "Erhvervsliv"; {DECLARED}; did you mean "business" (Erhverv)?',
                 id="near-a-danish-label"),
    pytest.param("business:0", 'count "0" for "business" must be at least 1', id="zero"),
    pytest.param("business:-2", f'count "-2" for "business" {NOT_A_COUNT}', id="negative"),
    pytest.param("business:1.5", f'count "1.5" for "business" {NOT_A_COUNT}', id="fraction"),
    pytest.param("business:fem", f'count "fem" for "business" {NOT_A_COUNT}', id="word"),
    pytest.param("business:٣", f'count "٣" for "business" {NOT_A_COUNT}', id="non-ascii-digit"),
    pytest.param("business", f'entry "business" {NOT_AN_ENTRY}', id="no-count"),
    pytest.param("business=5", f'entry "business=5" {NOT_AN_ENTRY}', id="wrong-separator"),
    pytest.param("business:5||state:1", f"an empty entry {NOT_AN_ENTRY}", id="empty-entry"),
    pytest.param("business:5|Business:1", 'sector "business" is listed twice', id="twice"),
    pytest.param('"business:5,state:1"', f'count "5,state:1" for "business" {NOT_A_COUNT}', id="comma"),
]


@pytest.mark.parametrize("cell, reason", DECLARED_RULES)
def test_declared_rule(cell, reason):
    value = cell.strip('"')
    assert problems(declared_nodes(cell)) == [f'error: nodes.csv:2:8 (declared): "{value}" – {reason}']


@pytest.mark.parametrize("cell", ["Erhverv:5", "Civil society:5", "ERHVERV : 5", "erhverv:5"])
def test_declared_takes_sector_labels(cell):
    assert run(declared_nodes(cell)).nodes["declared"][0].to_list() == [{"sector": "business" if "rhv" in cell.lower()
                                                                         else "civil_society", "count": 5}]


def test_labels_in_vocabulary_columns_are_stored_as_ids():
    nodes = (NODES.replace("actor,state,agency", "Aktør,Stat,Styrelse")
             .replace("actor,civil_society,", "actor,Civilsamfund,").replace("partnership,,,2019", "Partnerskab,,,2019"))
    ds = run(nodes, EDGES.replace("lead", "Leder"))
    a = ds.nodes.filter(id="a").row(0, named=True)
    assert (a["kind"], a["sector"], a["type"]) == ("actor", "state", "agency")
    assert ds.nodes.filter(id="c")["sector"].item() == "civil_society"
    assert ds.nodes.filter(id="p1")["kind"].item() == "partnership"
    assert ds.edges.filter(source="a", target="p1")["role"].item() == "lead"


def test_declared_on_an_actor_row_is_an_error():
    assert problems(declared_nodes("", actor="business:1")) == [
        'error: nodes.csv:4:8 (declared): "business:1" – only a partnership can declare unnamed members; leave the '
        "cell empty on an actor row"]


def test_declared_problems_of_a_cell_are_all_reported_at_once():
    assert problems(declared_nodes("buisness:0|state|state:1|state:2", "knowledge:x")) == [
        'error: nodes.csv:2:8 (declared): "buisness:0|state|state:1|state:2" – count "0" for "buisness" must be at '
        "least 1",
        'error: nodes.csv:2:8 (declared): "buisness:0|state|state:1|state:2" – entry "state" is not sector:count '
        "(write e.g. business:5|civil_society:1)",
        'error: nodes.csv:2:8 (declared): "buisness:0|state|state:1|state:2" – sector "state" is listed twice',
        f'error: nodes.csv:2:8 (declared): "buisness:0|state|state:1|state:2" – unknown sector "buisness"; {DECLARED}; '
        'did you mean "business"?',
        'error: nodes.csv:3:8 (declared): "knowledge:x" – count "x" for "knowledge" is not a whole number (write e.g. '
        "knowledge:3)",
    ]


def test_declared_uses_a_custom_vocabulary():
    vocab = S.Vocabulary((S.Sector("public", "Offentlig", "Public", "public", "#0072B2"),
                          S.Sector("company", "Virksomhed", "Company", "private", "#E69F00")))
    nodes = declared_nodes("Company:2|Offentlig:1").replace(",state,", ",public,").replace(",business,business", ",company,business")
    nodes = nodes.replace(",civil_society,", ",company,").replace(",knowledge,", ",public,")
    assert problems(nodes.replace("Offentlig", "state"), sectors=vocab) == [
        'error: nodes.csv:2:8 (declared): "Company:2|state:1" – unknown sector "state"; expected one of '
        'public, company']
    ds = run(nodes, sectors=vocab)
    assert ds.nodes["declared"][0].to_list() == [{"sector": "company", "count": 2}, {"sector": "public", "count": 1}]


def test_declared_members_stays_a_plain_extra_column_beside_declared():
    lines = declared_nodes("municipality:5").splitlines()
    nodes = "\n".join([lines[0] + ",declared_members", lines[1] + ",9", *(line + "," for line in lines[2:])]) + "\n"
    ds = run(nodes)
    assert ds.node_extras == ("declared_members",) and ds.nodes["declared_members"][0] == "9"
    assert ds.nodes["declared"][0].to_list() == [{"sector": "municipality", "count": 5}]


def test_missing_required_columns_list_expected_and_found():
    assert problems("ID,label\na,b\n", "from,to\na,a\n") == [
        'error: edges.csv:1:1 (source): "" – missing required column "source" (expected "source", "target"; '
        'found "from", "to")',
        'error: edges.csv:1:1 (target): "" – missing required column "target" (expected "source", "target"; '
        'found "from", "to")',
        'error: nodes.csv:1:1 (id): "ID" – missing required column "id" (expected "id"; found "ID", "label"); '
        'rename "ID" to "id" (column names are exact and case-sensitive)',
    ]


# --- every problem at once ------------------------------------------------------------------


def test_problems_of_both_files_are_reported_together():
    nodes = NODES + "a,Igen,actor,stat3,,,\n"
    edges = EDGES.replace("b,p1,member,1,", "b,p1,member,abc,") + "zz,p1,,1,,\n"
    assert problems(nodes, edges) == [
        'error: edges.csv:3:4 (weight): "abc" – not a number (write e.g. 2, 1.5 or 1,5)',
        'error: edges.csv:7:1 (source): "zz" – unknown node id: not in nodes.csv',
        'error: nodes.csv:8:1 (id): "a" – duplicate id (first on line 4)',
        f'error: nodes.csv:8:4 (sector): "stat3" – unknown sector; expected one of {SECTOR_IDS}; did you mean "state"?',
    ]


def test_structural_problems_do_not_cascade_into_other_files():
    # b's line is broken: edges to b are not "unknown", and p1/p2 still count b as a member.
    nodes = NODES.replace("b,Ørsted,actor,business,business,,", "b,Ørsted,actor,business,business,,,extra")
    assert problems(nodes, EDGES) == [
        'error: nodes.csv:5:8 (record): "b,Ørsted,actor,business,business,,,extra" – 8 fields, but the header has 7'
    ]
    edges = EDGES.replace("c,d,,1,,", 'c,d,"1,,')
    assert problems(NODES, edges) == [
        'error: edges.csv:6:3 (role): "\\"1,," – unclosed quote: the quoted field that starts here never ends'
    ]


def test_a_file_that_cannot_be_read_does_not_stop_the_other():
    assert problems(b"", EDGES + "a,a,,1,,\n") == [
        'error: edges.csv:7:2 (target): "a" – self-loop: source and target are the same node',
        'error: nodes.csv:1:1 (file): "" – the file is empty',
    ]


def test_broken_sector_vocabulary_still_checks_everything_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nodes.csv").write_text(NODES + "a,x,actor,anything,,,\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text(EDGES, encoding="utf-8")
    (tmp_path / "sectors.csv").write_text("id,label_da,label_en,group,color\nstate,Stat,State,publik,#000000\n",
                                          encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(locate(data="."))
    assert [str(p) for p in info.value.problems] == [
        'nodes.csv:8:1 (id): "a" – duplicate id (first on line 4)',
        'sectors.csv:2:4 (group): "publik" – unknown group; expected one of public, private, civil_society, '
        'knowledge; did you mean "public"?',
    ]


def test_sector_ids_in_a_vocabulary_are_unique_ignoring_case():
    vocab, found = validate_sectors(raw("id,label_da,label_en,group,color\nlab,L,L,knowledge,#123456\n"
                                        "Lab,L2,L2,knowledge,#654321\n", "sectors.csv"))
    assert [str(p) for p in found] == ['sectors.csv:3:1 (id): "Lab" – duplicate sector id (first on line 2)']


def test_custom_vocabulary_is_matched_ignoring_case():
    vocab, found = validate_sectors(raw("id,label_da,label_en,group,color\nLab,Lab,Lab,knowledge,#123456\n",
                                        "sectors.csv"))
    assert found == []
    ds = run("id,kind,sector\np,partnership,\na,,lab\nb,,LAB\n", "source,target\na,p\nb,p\n", sectors=vocab)
    assert ds.nodes["sector"].to_list() == [None, "Lab", "Lab"]


def test_many_unknown_ids_get_suggestions_only_within_limits():
    nodes = "id,kind,sector\n" + "".join(f"n{i},,state\n" for i in range(6000))
    edges = "source,target\n" + "".join(f"x{i},n{i}\n" for i in range(300)) + "N7,n8\n"
    found = problems(nodes, edges)
    assert len([p for p in found if p.startswith("error")]) == 301
    assert found[300] == 'error: edges.csv:302:1 (source): "N7" – unknown node id: not in nodes.csv; did you mean "n7"?'


# --- scale -----------------------------------------------------------------------------------


def _million_edges(path, *, errors: bool) -> None:
    """1,000,000 memberships of 100,000 actors in 10 partnerships, as Danish Excel writes them (; and 1,5)."""
    actors, rows = 100_000, 1_000_000
    k = pl.int_range(0, rows, eager=True)
    edges = pl.DataFrame({
        "source": "a" + (k % actors).cast(pl.String),
        "target": "p" + (k // actors).cast(pl.String),
        "role": pl.Series(["member", "lead", "funder"] * (rows // 3) + ["member"]),
        "weight": ((k % 4) + 1).cast(pl.String) + ",5",
        "start": pl.Series(["2010"] * rows),
    })
    text = edges.write_csv(separator=";", line_terminator="\r\n")
    if errors:
        lines = text.split("\r\n")
        lines[999_001] = "a99000;p9;member;abc;2010"  # physical line 999,002
        lines[999_500] += ";extra"  # physical line 999,501
        lines.insert(500_000, ";;;;")  # a blank Excel row: later lines move down by one
        text = "\r\n".join(lines)
    path.mkdir()
    (path / "edges.csv").write_text(text, encoding="utf-8")
    sectors = ["state", "municipality", "business", "knowledge"]
    nodes = "id;kind;sector\r\n" + "".join(f"p{p};partnership;\r\n" for p in range(10)) + "".join(
        f"a{a};actor;{sectors[a % 4]}\r\n" for a in range(actors))
    (path / "nodes.csv").write_text(nodes, encoding="utf-8")


def test_a_million_edge_rows_validate(tmp_path):
    _million_edges(tmp_path / "ok", errors=False)
    ds = load(locate(data=tmp_path / "ok"))
    assert ds.warnings == ()
    assert ds.edges.height == 1_000_000
    assert ds.edges.row(999_999) == ("a99999", "p9", "member", "membership", 1.5 + 3, 2010, None)
    assert ds.edges["weight"].sum() == pytest.approx(1_000_000 * 3.0)


def test_a_million_edge_rows_with_problems_far_down(tmp_path, monkeypatch):
    _million_edges(tmp_path / "bad", errors=True)
    monkeypatch.chdir(tmp_path / "bad")
    with pytest.raises(DataError) as info:
        load(locate(data="."))
    assert [str(p) for p in info.value.problems] == [
        'edges.csv:999003:4 (weight): "abc" – not a number (write e.g. 2, 1.5 or 1,5)',
        'edges.csv:999502:6 (record): "a99499;p9;lead;4,5;2010;extra" – 6 fields, but the header has 5',
    ]


# --- the command line --------------------------------------------------------------------------


def _cli(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_exit_codes(tmp_path, monkeypatch):
    for name, nodes, edges in [("ok", NODES, EDGES), ("warn", NODES + "e,E,actor,state,,,\n", EDGES),
                               ("bad", NODES + "a,A,actor,state,,,\n", EDGES)]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "nodes.csv").write_text(nodes, encoding="utf-8")
        (tmp_path / name / "edges.csv").write_text(edges, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ok, warn, bad = _cli("validate", "--data", "ok"), _cli("validate", "--data", "warn"), _cli("validate", "--data", "bad")
    assert (ok.exit_code, warn.exit_code, bad.exit_code) == (0, 0, 1)
    assert ok.stderr.splitlines()[0] == "Using data: ok/nodes.csv, ok/edges.csv"
    assert warn.stderr.splitlines()[-1] == "0 errors, 1 warning"
    assert bad.stderr.splitlines()[1:] == ['error: bad/nodes.csv:8:1 (id): "a" – duplicate id (first on line 4)',
                                           "1 error, 0 warnings"]
    assert _cli("validate", "--data", "nowhere").exit_code == 2
    assert _cli("validate", "--nodes", "ok/nodes.csv").exit_code == 2
    assert _cli("validate", "--bogus").exit_code == 2


def test_cli_absolute_paths_outside_the_working_folder_stay_absolute(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "nodes.csv").write_text(NODES + "a,A,actor,state,,,\n", encoding="utf-8")
    (tmp_path / "d" / "edges.csv").write_text(EDGES, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = _cli("validate", "--data", str(tmp_path / "d"))
    assert result.stderr.splitlines()[1] == f'error: {tmp_path / "d" / "nodes.csv"}:8:1 (id): "a" – duplicate id (first on line 4)'


def test_cli_output_and_other_errors_end_with_a_count_line():
    @click.group(cls=PartnernetGroup)
    def group():
        pass

    @group.command()
    def write():
        raise OutputError("out/map.html", "read-only file system")

    @group.command()
    def other():
        raise PartnernetError("something went wrong")

    result = CliRunner().invoke(group, ["write"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: cannot write out/map.html: read-only file system",
                                          "nothing was changed", "1 error, 0 warnings"]
    result = CliRunner().invoke(group, ["other"])
    assert (result.exit_code, result.stderr.splitlines()) == (1, ["error: something went wrong", "1 error, 0 warnings"])


@pytest.mark.parametrize("env, encoding", [
    ({"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}, "utf-8"),  # ASCII locale: click writes UTF-8
    ({"LC_ALL": "C", "PYTHONIOENCODING": "latin-1"}, "latin-1"),
])
def test_danish_letters_print_correctly_whatever_the_locale(tmp_path, env, encoding):
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "nodes.csv").write_text(NODES + "b,Ørsted igen,actor,business,,,\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text(EDGES.replace("c,d,,1,,", "c,d,,Å,,"), encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "validate", "--data", "."], cwd=tmp_path, capture_output=True,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": root, **env}, timeout=120)
    assert result.returncode == 1
    text = result.stderr.decode(encoding)
    assert '(weight): "Å" – not a number' in text.replace("?", "–")
    assert 'edges.csv:6:4' in text and "Traceback" not in text
