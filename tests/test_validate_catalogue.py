"""A catalogue of bad (and awkward but valid) inputs, each with its exact expected output.

Each folder in ``tests/data/bad/<case>/`` holds ``nodes.csv`` and/or
``edges.csv`` (and maybe ``sectors.csv``); a missing one is taken from the good
pair in ``tests/data/good/``, unless ``absent.txt`` lists it as meant to be
missing. ``expected.txt`` holds the exact stderr lines that
``partnernet validate --data .`` prints, run inside the case folder, after the
``Using data:`` line: every error and warning, then the ``OK: …`` line when
there is no error, then the count line. The exit code is 1 when an error line
is expected, else 0.

Binary cases (cp1252, UTF-16, mixed encodings, control characters, CR-only
line endings) are stored as bytes; open them in a hex viewer, not an editor
that may "fix" them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import cli

DATA = Path(__file__).resolve().parent / "data"
CASES = sorted(p for p in (DATA / "bad").iterdir() if p.is_dir())
INPUTS = ("nodes.csv", "edges.csv")


def _prepare(case: Path, work: Path) -> list[str]:
    """Copy the case into ``work``, fill in good defaults; return the input names in 'Using data' order."""
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected.txt", "absent.txt"))
    absent = set((case / "absent.txt").read_text(encoding="utf-8").split()) if (case / "absent.txt").exists() else set()
    for name in INPUTS:
        if not (work / name).exists() and name not in absent:
            shutil.copy(DATA / "good" / name, work / name)
    return list(INPUTS) + (["sectors.csv"] if (work / "sectors.csv").exists() else [])


def test_catalogue_is_not_empty():
    assert len(CASES) >= 45


def test_good_default_pair_is_clean(monkeypatch):
    monkeypatch.chdir(DATA / "good")
    result = CliRunner().invoke(cli, ["validate", "--data", "."])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Using data: nodes.csv, edges.csv",
        "OK: 4 actors, 2 partnerships, 5 edges",
        "0 errors, 0 warnings",
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, monkeypatch):
    work = tmp_path / case.name
    names = _prepare(case, work)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    monkeypatch.chdir(work)

    result = CliRunner().invoke(cli, ["validate", "--data", "."])

    lines = result.stderr.splitlines()
    assert lines[0] == f"Using data: {', '.join(names)}"
    assert lines[1:] == expected
    assert "Traceback" not in result.output
    has_error = any(line.startswith("error:") for line in expected)
    assert result.exit_code == (1 if has_error else 0), result.output
    assert result.stdout == ""
