from pathlib import Path

import pytest

from partnernet.errors import OptionError
from partnernet.load import bundled_dir, load, locate

ROOT = Path(__file__).resolve().parent.parent


def test_default_is_local_data_folder_when_present():
    src = locate(cwd=ROOT)
    assert src.nodes == ROOT / "data" / "nodes.csv"
    assert not src.bundled


def test_default_is_bundled_elsewhere(tmp_path):
    src = locate(cwd=tmp_path)
    assert src.bundled
    assert src.nodes.is_file()
    assert "bundled" in src.describe()


def test_bundled_copy_matches_the_repository_data():
    assert (bundled_dir() / "nodes.csv").read_bytes() == (ROOT / "data" / "nodes.csv").read_bytes()


def test_data_and_files_exclude_each_other(tmp_path):
    with pytest.raises(OptionError, match="not both"):
        locate(data=tmp_path, nodes=tmp_path / "n.csv", edges=tmp_path / "e.csv")
    with pytest.raises(OptionError, match="go together"):
        locate(nodes=tmp_path / "n.csv")


def test_sectors_file_beside_nodes_replaces_vocabulary(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,sector\np,partnership,\na,,lab\nb,,lab\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target\na,p\nb,p\n", encoding="utf-8")
    (tmp_path / "sectors.csv").write_text(
        "id,label_da,label_en,group,color\nlab,Laboratorium,Laboratory,knowledge,#123abc\n", encoding="utf-8"
    )
    ds = load(locate(data=tmp_path))
    assert ds.sectors.ids == ("lab",)
    assert ds.sectors.get("lab").color == "#123ABC"


def test_bundled_dataset_loads_without_errors():
    ds = load(locate(cwd=ROOT))
    assert all(p.severity == "warning" for p in ds.warnings)
    assert ds.nodes.filter(ds.nodes["kind"] == "partnership").height == 9


def test_node_lines_locate_each_node_in_its_file(tmp_path):
    (tmp_path / "nodes.csv").write_text('id,label\n"a","A\nover two lines"\nb,B\n', encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target\na,b\n", encoding="utf-8")
    from partnernet.load import load, locate

    d = load(locate(tmp_path))
    assert d.node_lines == {"a": 2, "b": 4} and d.node_columns == {"id": 1, "label": 2}


def test_read_renames_reads_old_new_pairs_and_reports_every_problem(tmp_path):
    from partnernet.errors import DataError
    from partnernet.load import Rename, read_renames

    good = tmp_path / "renames.csv"
    good.write_text("old,new\n3, C \n", encoding="utf-8")
    assert read_renames(good)[1] == (Rename("3", "C", 2),)
    bad = tmp_path / "bad.csv"
    bad.write_text("old,new\n3,\n3,C\n,X\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_renames(bad)
    assert [p.reason for p in info.value.errors] == ["empty id", "old id given twice (first on line 2)", "empty id"]
    missing = tmp_path / "missing.csv"
    missing.write_text("from,to\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="1 error|2 errors"):
        read_renames(missing)


def _touch(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"")
    return folder


@pytest.mark.parametrize("names, chosen", [
    (("nodes.csv", "edges.csv", "memberships.csv", "partnernet.xlsx"), "nodes.csv"),
    (("nodes.csv", "memberships.csv", "partnernet.xlsx"), "memberships.csv"),
    (("partnernet.xlsx", "other.xlsx"), "partnernet.xlsx"),
    (("mine.ods", "~$lock.xlsx"), "mine.ods"),
])
def test_a_data_folder_is_read_in_order_csv_list_workbook(tmp_path, names, chosen):
    source = locate(data=_touch(tmp_path / "d", *names))
    assert source.nodes.name == chosen
    assert (source.memberships is not None) == (chosen == "memberships.csv")


def test_a_workbook_alone_holds_nodes_and_edges_and_options_exclude_each_other(tmp_path):
    book = _touch(tmp_path, "b.xlsx") / "b.xlsx"
    source = locate(nodes=book, sheets=["nodes=N", "Liste"])
    assert source.edges == book and source.describe().endswith("b.xlsx")
    assert source.sheet("nodes") == "N" and source.sheet("memberships") == "Liste"
    with pytest.raises(OptionError, match="use only one of"):
        locate(data=tmp_path, nodes=book, memberships=book)
    with pytest.raises(OptionError, match="not both"):
        locate(nodes=book, memberships=book)
