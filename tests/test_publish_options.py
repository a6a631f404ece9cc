"""Options of a publish run: the build date, the option checks, the guard on the target folder."""

import pytest

from partnernet.errors import OptionError, OutputError
from partnernet.publish.options import MARKER, PublishOptions, build_date, check_target


def test_source_date_epoch_pins_the_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == "2023-11-14"
    assert build_date("2024-02-29") == "2024-02-29"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert len(build_date()) == 10
    for bad in ("2024-02-30", "31-01-2024", "2024/01/31", "yesterday"):
        with pytest.raises(OptionError):
            build_date(bad)
    with pytest.raises(OptionError):
        build_date(None, {"SOURCE_DATE_EPOCH": "soon"})


@pytest.mark.parametrize("bad", [{"lang": "de"}, {"max_nodes": 0}, {"max_actor_pages": -1}])
def test_options_no_run_can_use_are_option_errors(bad):
    PublishOptions().check()
    with pytest.raises(OptionError):
        PublishOptions(**bad).check()


def test_only_a_folder_with_the_marker_or_an_empty_one_may_be_replaced(tmp_path):
    check_target(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    check_target(empty)
    (empty / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not written by partnernet"):
        check_target(empty)
    (empty / MARKER).write_text("partnernet site\n")
    check_target(empty)
