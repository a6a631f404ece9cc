"""Tasks and results of a publish run: frozen, and unchanged by a trip to another process."""

import dataclasses
import pickle

import polars as pl
import pytest

from partnernet.metrics.suite import Settings
from partnernet.publish.tasks import (DownloadTask, GraphDownloadTask, PagesTask, SharedWriteTask, Staging,
                                      TablesResult, TablesTask, WriteResult)

STAGING = Staging("/tmp/stage", "2024-01-31")


@pytest.mark.parametrize("task", [
    TablesTask(("brokerage",), Settings(samples=10), STAGING),
    GraphDownloadTask("graph-xml", STAGING),
    SharedWriteTask("/tmp/run.pickle", PagesTask((("actor", "a"), ("sector", "state")))),
    SharedWriteTask("/tmp/run.pickle", DownloadTask("table:gaps")),
    WriteResult(0, 12, "table:gaps", {"gaps.csv": 5, "gaps.json": 7}),
])
def test_tasks_pickle_to_equal_values_and_are_frozen(task):
    assert pickle.loads(pickle.dumps(task)) == task
    with pytest.raises(dataclasses.FrozenInstanceError):
        task.x = 1


def test_tables_result_carries_tables_and_their_downloads():
    result = TablesResult({"gaps": pl.DataFrame({"id": ["p"]})}, 0.25, (WriteResult(0, 3, "table:gaps", {}),))
    back = pickle.loads(pickle.dumps(result))
    assert back.tables["gaps"].equals(result.tables["gaps"]) and back.modularity == 0.25
    assert back.written == result.written
