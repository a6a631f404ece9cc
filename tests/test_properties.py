"""Property and fuzz tests for the reader and validator.

* Any table of text written as CSV — any separator, with or without BOM, UTF-8
  or UTF-16, LF or CRLF, quotes, separators and line breaks inside fields —
  reads back identical.
* Any graph the reader and validator accept gives finite, deterministic
  measures (summary report, centrality tables).
* Random bytes and damaged CSV never make the reader or validator raise
  anything but partnernet's own errors.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import math
import random
import string

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnernet.errors import DataError, PartnernetError
from partnernet.graph import build_graph
from partnernet.io.csvread import LINE, parse_bytes
from partnernet.summary import summary_report
from partnernet.validate import validate

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text but CR (line breaks inside fields are read as LF), NUL (NUL-heavy files
# are taken for UTF-16 without BOM) and lone surrogates (not encodable).
CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=12)
ID = CELL.filter(lambda s: s.strip(" \t") != "")  # a record of only spaces is a blank line
NAME = st.text(string.ascii_letters + "_æøåÆØÅ", min_size=1, max_size=8).filter(lambda s: s != LINE)


@st.composite
def tables(draw):
    names = draw(st.lists(NAME, min_size=2, max_size=5, unique=True))
    rows = draw(st.lists(st.tuples(ID, *[CELL] * (len(names) - 1)), max_size=8))
    return names, [list(r) for r in rows]


def write_csv(names, rows, sep, eol) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, quotechar='"', lineterminator=eol, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


@SETTINGS
@given(tables(), st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n"]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), st.booleans())
def test_any_text_table_reads_back_identical(table, sep, eol, encoding, sep_line):
    names, rows = table
    text = write_csv(names, rows, sep, eol)
    if sep_line:
        text = f"sep={sep}{eol}{text}"
    parsed = parse_bytes(text.encode(encoding), "t.csv")
    assert parsed.problems == []
    assert parsed.separator == sep
    assert parsed.columns == names
    assert [list(r) for r in parsed.frame.select(names).rows()] == rows


# --- accepted graphs give finite, deterministic measures -----------------------------------

IDS = ["a", "b", "c", "d", "e", "p1", "p2", "p3"]
KINDS = ["", "actor", "partnership", "Partnership"]
SECTORS = ["", "state", "business", "Knowledge", "civil_society"]
WEIGHTS = ["", "1", "2,5", "0.5", "3"]


@st.composite
def networks(draw):
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=8, unique=True))
    nodes = [(i, draw(st.sampled_from(KINDS)) if i.startswith("p") else "", draw(st.sampled_from(SECTORS)))
             for i in ids]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(WEIGHTS)),
                          max_size=14))
    return nodes, pairs


def _finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    return True


def _measures(ds) -> list:
    g = build_graph(ds)
    out = [summary_report(g)]
    if importlib.util.find_spec("partnernet.metrics.centrality") is not None:
        from partnernet.metrics.centrality import centrality_table

        for mode in ("two-mode", "actors"):
            table = centrality_table(g, graph=mode)
            floats = [c for c, t in table.schema.items() if t in (pl.Float32, pl.Float64)]
            assert table.select(pl.col(floats).is_finite().all()).row(0) == (True,) * len(floats) if floats else True
            out.append(table)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(networks(), st.sampled_from([",", ";"]))
def test_accepted_graphs_give_finite_deterministic_measures(network, sep):
    nodes, pairs = network
    nodes_csv = write_csv(["id", "kind", "sector"], [list(n) for n in nodes], sep, "\n")
    edges_csv = write_csv(["source", "target", "weight"], [list(p) for p in pairs], sep, "\n")
    try:
        ds = validate(parse_bytes(nodes_csv.encode(), "nodes.csv"), parse_bytes(edges_csv.encode(), "edges.csv"))
    except DataError as exc:
        assert exc.errors  # rejected only with a reason
        return
    first, second = _measures(ds), _measures(ds)
    assert _finite(first[0])
    assert first[0] == second[0]
    for a, b in zip(first[1:], second[1:]):
        assert a.equals(b)


# --- fuzz -------------------------------------------------------------------------------------

GOOD_NODES = ("id;label;kind;sector\r\np1;Grøn omstilling;partnership;\r\na;\"Miljø, styrelsen\";actor;state\r\n"
              "b;Ørsted;actor;business\r\n").encode("utf-8")
GOOD_EDGES = b"source;target;weight\r\na;p1;1,5\r\nb;p1;2\r\n"
SPECIAL = [b",", b";", b"\t", b'"', b'""', b"\r", b"\n", b"\r\n", b" ", b"\x00", b"\xc3", b"\xf8", b"\xff\xfe",
           b"\xef\xbb\xbf", b"sep=;", b"\xe2\x80\xae", b"id", b"source", b"target", b"p1", b"a"]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randint(0, len(data))
        op = rng.random()
        if op < 0.4:
            data[pos:pos] = rng.choice(SPECIAL)
        elif op < 0.7 and data:
            del data[pos:pos + rng.randint(1, 4)]
        elif data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
    return bytes(data)


def _random_bytes(rng: random.Random) -> bytes:
    parts = [rng.choice(SPECIAL) if rng.random() < 0.5 else bytes([rng.randrange(256)]) for _ in range(rng.randint(0, 60))]
    return b"".join(parts)


def _check(nodes: bytes, edges: bytes, *, full: bool) -> None:
    n, e = parse_bytes(nodes, "nodes.csv"), parse_bytes(edges, "edges.csv")
    for table in (n, e):
        for p in table.problems:
            assert p.line >= 1 and p.column >= 1
            str(p)  # renders
    if full:
        try:
            validate(n, e)
        except PartnernetError:
            pass


def test_fuzz_reader_over_random_and_damaged_bytes():
    rng = random.Random(20240607)
    for i in range(1500):
        if i % 3 == 0:
            nodes, edges = _random_bytes(rng), _random_bytes(rng)
        else:
            nodes, edges = _mutate(rng, GOOD_NODES), _mutate(rng, GOOD_EDGES)
        _check(nodes, edges, full=i % 5 == 0)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=100))
def test_fuzz_reader_with_hypothesis(nodes, edges):
    _check(GOOD_NODES[:40] + nodes, edges, full=True)
