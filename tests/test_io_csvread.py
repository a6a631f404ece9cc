"""The CSV reader: encodings, separators, line endings, quotes, limits, located problems."""

from __future__ import annotations

import errno
from pathlib import Path

import polars as pl
import pytest

import partnernet.io.csvread as csvread
from partnernet.io.csvread import LINE, MAX_RECORD_BYTES, detect_separator, parse_bytes, read_table


def read(data: bytes | str, name: str = "t.csv"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return parse_bytes(data, name)


def rows(table) -> list[tuple]:
    return table.frame.rows()


def messages(table) -> list[str]:
    return [f"{p.severity}: {p}" for p in table.problems]


# --- encodings ----------------------------------------------------------------

DANISH = "id;label\r\nmst;Miljøstyrelsen\r\nae;Ærø Kommune\r\nsa;Århus Å\r\n"
DANISH_ROWS = [("mst", "Miljøstyrelsen", 2), ("ae", "Ærø Kommune", 3), ("sa", "Århus Å", 4)]


@pytest.mark.parametrize("data, encoding", [
    (DANISH.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + DANISH.encode("utf-8"), "utf-8-sig"),
    (DANISH.encode("utf-16"), "utf-16"),
    (b"\xfe\xff" + DANISH.encode("utf-16-be"), "utf-16"),
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_unicode_encodings_read_danish_letters_exactly(data, encoding):
    t = parse_bytes(data, "t.csv")
    assert t.problems == []
    assert t.encoding == encoding
    assert t.columns == ["id", "label"]
    assert rows(t) == DANISH_ROWS


def test_cp1252_is_read_with_a_warning_at_the_first_non_utf8_letter():
    t = parse_bytes(DANISH.encode("cp1252"), "t.csv")
    assert rows(t) == DANISH_ROWS
    assert t.encoding == "cp1252"
    assert messages(t) == [
        'warning: t.csv:2:2 (label): "Miljøstyrelsen" – the file is not UTF-8; read as Windows-1252 (cp1252), '
        'as Danish Excel saves "CSV"; check the letters æ, ø, å or save as "CSV UTF-8"'
    ]


def test_cp1252_euro_sign_and_quotes():
    t = parse_bytes("id,label\na,“Pris” 5 €\n".encode("cp1252"), "t.csv")
    assert rows(t) == [("a", "“Pris” 5 €", 2)]


def test_mixed_utf8_and_cp1252_is_an_error_at_the_first_bad_byte_never_mojibake():
    data = "id;label\nmst;Miljøstyrelsen\n".encode("utf-8") + b"or;\xd8rsted\n" + "sa;Århus\n".encode("utf-8")
    t = parse_bytes(data, "t.csv")
    assert t.frame is None
    assert messages(t) == [
        'error: t.csv:3:2 (label): "\ufffdrsted" – byte 0xD8 is not UTF-8, but the file holds UTF-8 elsewhere: '
        'it mixes two encodings; save it again as "CSV UTF-8"'
    ]
    assert "Ã" not in str(t.problems[0])


def test_bom_with_a_non_utf8_byte_is_mixed():
    t = parse_bytes(b"\xef\xbb\xbfid\r\nS\xf8ren\r\n", "t.csv")
    assert messages(t) == [
        'error: t.csv:2:1 (id): "S\ufffdren" – byte 0xF8 is not UTF-8, but the file holds UTF-8 elsewhere: '
        'it mixes two encodings; save it again as "CSV UTF-8"'
    ]


def test_bytes_that_are_neither_utf8_nor_cp1252():
    t = parse_bytes(b"id,label\na,b\x81c\n", "t.csv")
    assert messages(t) == [
        'error: t.csv:2:2 (label): "b\ufffdc" – byte 0x81 is neither UTF-8 nor Windows-1252; save the file as "CSV UTF-8"'
    ]


def test_utf16_without_bom_is_recognised_not_read_as_nul_characters():
    t = parse_bytes("id,label\na,b\n".encode("utf-16-le"), "t.csv")
    assert t.frame is None
    assert messages(t) == [
        'error: t.csv:1:1 (encoding): "" – looks like UTF-16 without a byte-order mark; save the file as "CSV UTF-8"'
    ]


def test_broken_utf16_is_located():
    data = "id\na\nb\n".encode("utf-16") + b"\x00\xd8"  # a lone high surrogate at the end
    t = parse_bytes(data, "t.csv")
    assert t.frame is None
    assert t.problems[0].line == 4
    assert "not valid UTF-16" in t.problems[0].reason


def test_encodings_through_the_reader():
    t = parse_bytes("a\nx\n".encode("utf-8-sig"), "x")
    assert (t.encoding, t.problems, t.frame["a"].to_list()) == ("utf-8-sig", [], ["x"])
    t = parse_bytes("a\næ\n".encode("cp1252"), "x")
    assert (t.encoding, [p.severity for p in t.problems], t.frame["a"].to_list()) == ("cp1252", ["warning"], ["æ"])
    assert parse_bytes(b"\xef\xbb\xbfa\n\xff\n", "x").frame is None


# --- separators -----------------------------------------------------------------


@pytest.mark.parametrize("header, sep", [
    ("id,label,kind", ","),
    ("id;label;kind", ";"),
    ("id\tlabel\tkind", "\t"),
    ('id;"label, long";kind', ";"),
    ("id;label;note,x", ";"),
    ("id", ","),
])
def test_separator_is_detected_from_the_header(header, sep):
    assert detect_separator(header) == (sep, "")


def test_separator_tie_is_an_error_not_a_guess():
    sep, why = detect_separator("id,label;kind")
    assert sep is None
    assert why == ("cannot tell the separator: the header has 1 comma and 1 semicolon; "
                   "add a first line sep=; (or sep=, or sep=<tab>)")


@pytest.mark.parametrize("first", ["sep=;", '"sep=;"', "SEP=;", "sep=;;;", "sep=; "])
def test_excel_sep_line_decides_and_keeps_physical_lines(first):
    t = read(f"{first}\nid;label,kort\na;b,c\n\nd;e\n")
    assert t.problems == []
    assert t.separator == ";"
    assert t.columns == ["id", "label,kort"]
    assert rows(t) == [("a", "b,c", 3), ("d", "e", 5)]


def test_unsupported_sep_line():
    assert messages(read("sep=|\nid|label\n")) == ['error: t.csv:1:1 (sep): "|" – unsupported separator; use , ; or tab']


def test_tab_separated_with_spaces_in_values():
    t = read("id\tlabel\na b\tc, d; e\n")
    assert rows(t) == [("a b", "c, d; e", 2)]


# --- line endings, blank lines, physical lines ------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings(eol):
    t = read(eol.join(["id,label", "a,b", "", "c,d", ""]))
    assert rows(t) == [("a", "b", 2), ("c", "d", 4)]


def test_blank_whitespace_and_separator_only_lines_are_skipped_but_counted():
    t = read("\n  \nid;label\n;\n \t \na;b\n;;  ;\n\nc;d")
    assert t.header_line == 3
    assert rows(t) == [("a", "b", 6), ("c", "d", 9)]
    assert t.problems == []


def test_quoted_line_breaks_keep_later_lines_physical():
    t = read('id,label\na,"line 1\nline 2, with comma"\nb,"x\r\ny"\nc,d,e\n')
    assert rows(t) == [("a", "line 1\nline 2, with comma", 2), ("b", "x\ny", 4)]
    assert messages(t) == ['error: t.csv:6:3 (record): "c,d,e" – 3 fields, but the header has 2']


def test_values_are_text_exactly_as_written():
    t = read('id,label,n\n007, padded ,1E5\n00,"",1,5\n')
    assert dict(t.frame.schema) == {"id": pl.String, "label": pl.String, "n": pl.String, LINE: pl.Int64}
    assert rows(t)[0] == ("007", " padded ", "1E5", 2)


def test_doubled_quotes_and_empty_quoted_fields():
    t = read('id,label\n"a""b","c"""\n"",x\n')
    assert rows(t) == [('a"b', 'c"', 2), ("", "x", 3)]


def test_nul_and_control_characters_are_read_raw_for_the_validator():
    t = read(b"id,label\na,b\x00c\x07\n")
    assert rows(t) == [("a", "b\x00c\x07", 2)]


# --- header ---------------------------------------------------------------------


def test_header_names_are_trimmed_and_positions_kept():
    t = read(" id , label \na,b\n")
    assert t.columns == ["id", "label"]
    assert t.positions == {"id": 1, "label": 2}


def test_duplicate_column_names():
    t = read("id,label,label\na,b,c\n")
    assert messages(t) == ['error: t.csv:1:3 (label): "label" – duplicate column name (also column 2)']
    assert t.columns == ["id", "label"]
    assert rows(t) == [("a", "b", 2)]


def test_the_internal_line_column_name_is_reserved():
    t = read(f"id,{LINE}\na,b\n")
    assert messages(t) == [f'error: t.csv:1:2 ({LINE}): "{LINE}" – reserved column name (used internally); rename the column']
    assert rows(t) == [("a", 2)]


def test_unnamed_columns_with_and_without_values():
    t = read("id,,label,\na,x,b,\nc,,d,  \n")
    assert messages(t) == [
        'error: t.csv:1:2 (column 2): "" – column without a name holds values (first on line 2); name it or delete it',
        'warning: t.csv:1:4 (column 4): "" – column without a name and without values; ignored',
    ]
    assert t.columns == ["id", "label"]
    assert t.positions == {"id": 1, "label": 3}


@pytest.mark.parametrize("data, reason", [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf", "the file is empty"),
    (b"\n \r\n\t\n", "the file is empty"),
    (b";;;\n,,,\n", "the file is empty (only separators, no header line)"),
])
def test_empty_files(data, reason):
    t = parse_bytes(data, "t.csv")
    assert t.frame is None
    assert messages(t) == [f'error: t.csv:1:1 (file): "" – {reason}']


def test_header_only_gives_an_empty_table():
    t = read("id,label\n")
    assert t.problems == []
    assert t.frame.height == 0
    assert t.frame.columns == ["id", "label", LINE]


# --- field counts -----------------------------------------------------------------


def test_wrong_field_counts_far_down_name_the_physical_line_and_keep_the_rest():
    body = "".join(f"n{i},label {i}\n" for i in range(2, 1000))  # n<i> is on line <i>
    data = "id,label\n" + body.replace("n500,label 500\n", "n500,label 500,extra\n").replace("n900,label 900\n", "n900\n")
    t = read(data)
    assert messages(t) == [
        'error: t.csv:500:3 (record): "n500,label 500,extra" – 3 fields, but the header has 2',
        'error: t.csv:900:2 (record): "n900" – 1 field, but the header has 2',
    ]
    assert t.frame.height == 998 - 2
    assert t.frame.filter(t.frame["id"] == "n501")[LINE].item() == 501
    assert [(line, fields.get("id")) for line, fields in t.salvaged] == [(500, "n500"), (900, "n900")]


# --- quotes -----------------------------------------------------------------------


def test_unclosed_quote_names_the_line_where_it_opened_and_reading_resumes():
    t = read('id,label\na,b\nc,"Grøn omstilling, fase 2\nd,e\nf,"g"\n')
    assert messages(t) == [
        'error: t.csv:3:2 (label): "\\"Grøn omstilling, fase 2" – unclosed quote: the quoted field that starts here never ends'
    ]
    assert rows(t) == [("a", "b", 2), ("d", "e", 4), ("f", "g", 5)]
    assert t.salvaged == [(3, {"id": "c", "label": "Grøn omstilling, fase 2\n"})]


def test_unclosed_quote_at_the_end_of_the_file():
    t = read('id,label\na,b\nc,"never closed\nmore,text\n')
    assert [(p.line, p.column, p.value) for p in t.problems] == [(3, 2, '"never closed')]
    assert rows(t) == [("a", "b", 2), ("more", "text", 4)]


def test_quote_problems_are_each_reported():
    t = read('id,label\na, "b"\nc,"d" \ne,"f"g\nh,5" screen\ni,"j\nk"l,m\nn,o\n')
    assert messages(t) == [
        'error: t.csv:2:2 (label): " \\"b\\"" – space before the opening quote; a quoted field must start with the quote',
        'error: t.csv:3:2 (label): "\\"d\\" " – space after the closing quote; a quoted field must end with the quote',
        'error: t.csv:4:2 (label): "\\"f\\"g" – text after the closing quote; a quoted field must end with the quote',
        'error: t.csv:5:2 (label): "5\\" screen" – quote inside an unquoted field; quote the whole field and double '
        'inner quotes ("5"" screen")',
        'error: t.csv:7:2 (label): "k\\"l" – text after the closing quote; a quoted field must end with the quote '
        "(the field opened on line 6)",
    ]
    assert rows(t) == [("n", "o", 8)]


def test_quote_problem_in_the_header_stops_reading():
    t = read('id,"label\na,b\n')
    assert t.frame is None
    assert [(p.line, p.column, p.name) for p in t.problems] == [(1, 2, "header")]


def test_too_many_quote_problems_stop_reading(monkeypatch):
    monkeypatch.setattr(csvread, "MAX_QUOTE_PROBLEMS", 3)
    t = read("id,label\n" + 'a,b"c\n' * 10)
    assert [p.line for p in t.problems] == [2, 3, 4, 5]
    assert t.problems[-1].reason == "more than 3 quote problems; the rest of the file was not read"


# --- limits -----------------------------------------------------------------------


def test_a_10_mb_field_is_a_clear_limit_error_and_the_rest_is_read():
    data = b"id,label\na,b\nbig," + b"x" * 10_000_000 + b"\nc,d\n"
    t = parse_bytes(data, "t.csv")
    assert rows(t) == [("a", "b", 2), ("c", "d", 4)]
    (p,) = t.problems
    assert (p.line, p.column, p.name) == (3, 2, "label")
    assert p.reason == ("record too long (10,000,004 bytes, this field 10,000,000); "
                        f"the limit is {MAX_RECORD_BYTES:,} bytes per record")
    assert len(str(p)) < 300
    assert t.salvaged[0][1]["id"] == "big"


def test_a_10_mb_quoted_field_with_line_breaks_is_a_limit_error():
    data = b'id,label\nbig,"' + b"x,\n" * 3_500_000 + b'"\nc,d\n'
    t = parse_bytes(data, "t.csv")
    assert [(p.line, p.column) for p in t.problems] == [(2, 2)]
    assert "record too long" in t.problems[0].reason
    assert rows(t) == [("c", "d", 3_500_003)]


def test_a_huge_header_is_a_limit_error():
    t = parse_bytes(b"id," + b"y" * (MAX_RECORD_BYTES + 10) + b"\na,b\n", "t.csv")
    assert t.frame is None
    assert t.problems[0].name == "header"
    assert "header line too long" in t.problems[0].reason


# --- files and robustness -----------------------------------------------------------


def test_missing_file_and_folder_are_located_problems(tmp_path):
    t = read_table(tmp_path / "nodes.csv", display="nodes.csv")
    assert messages(t) == ['error: nodes.csv:1:1 (file): "" – file not found']
    (tmp_path / "edges.csv").mkdir()
    t = read_table(tmp_path / "edges.csv", display="edges.csv")
    assert messages(t) == ['error: edges.csv:1:1 (file): "" – is a folder, not a file']


def test_unreadable_file_is_a_located_problem(tmp_path, monkeypatch):
    path = tmp_path / "nodes.csv"
    path.write_text("id\na\n")

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert messages(read_table(path, display="nodes.csv")) == ['error: nodes.csv:1:1 (file): "" – permission denied']


def test_values_are_parsed_by_polars_not_a_python_loop(monkeypatch):
    def no_loop(*a, **k):
        raise AssertionError("per-row fallback used on good data")

    monkeypatch.setattr(csvread, "_csv_parse", no_loop)
    contiguous = read('id,label\na,"b\nc"\nd,e\n')
    with_gaps = read('\nid,label\n\na,"b\nc"\n;;\nd,e\n\n')
    after_blank_lines = read('\n \n"id","la\nbel"\na,"b\nc"\nd,e')
    assert rows(contiguous) == [("a", "b\nc", 2), ("d", "e", 4)]
    assert rows(with_gaps) == [("a", "b\nc", 4), ("d", "e", 7)]
    assert after_blank_lines.columns == ["id", "la\nbel"]
    assert rows(after_blank_lines) == [("a", "b\nc", 5), ("d", "e", 7)]


def test_unexpected_failures_become_problems_not_exceptions(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("simulated polars failure")

    monkeypatch.setattr(csvread, "_scan", boom)
    t = read("id\na\n")
    assert t.frame is None
    assert messages(t) == ['error: t.csv:1:1 (file): "" – could not be read: RuntimeError: simulated polars failure '
                           "(please report this)"]
