"""Golden files of the tests (tests/data/golden/): bytes compared exactly, rewritten on request."""

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = os.environ.get("PARTNERNET_UPDATE_GOLDEN") == "1"


def golden(name: str, data: bytes) -> None:
    """``data`` must equal the golden file ``name``; a missing one is written (and the test fails once),
    ``PARTNERNET_UPDATE_GOLDEN=1`` rewrites them all."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; check it and run again")
    assert data == path.read_bytes(), f"{name} differs from the golden file (PARTNERNET_UPDATE_GOLDEN=1 to accept)"
