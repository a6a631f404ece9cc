"""The one cache of results derived from a frozen graph, and handing memory back.

Many tables derive from the same expensive results of one graph (edge
arrays, the incidence matrix, the actor adjacency, shortest-path sums, the
Louvain partition). A frozen graph (:func:`networkx.freeze`) cannot change, so
what is derived from it stays valid: :func:`remember` keeps it per graph and
key, and the entry dies with the graph (a weak-key dictionary). Unfrozen
graphs are never cached.

:func:`release_memory` forgets a graph's entries and returns the freed memory
to the system; a publish run calls it once the metric tables are computed,
in the publishing process and in each worker.

A leaf module: it imports nothing from partnernet.
"""

from __future__ import annotations

import ctypes
import gc
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx

T = TypeVar("T")

_MEMO: weakref.WeakKeyDictionary[nx.Graph, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def remember(g: nx.Graph, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered per frozen graph ``g`` and ``key`` (computed on every call otherwise).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.freeze(nx.path_graph(3))
    >>> remember(g, "n", lambda: 3), remember(g, "n", lambda: 4)
    (3, 3)
    """
    if not nx.is_frozen(g):
        return compute()
    slot = _MEMO.setdefault(g, {})
    if key not in slot:
        slot[key] = compute()
    return slot[key]


def store(g: nx.Graph, key: Hashable, value: Any) -> None:
    """Remember ``value`` for frozen ``g`` and ``key`` (a result known when the graph is built)."""
    if nx.is_frozen(g):
        _MEMO.setdefault(g, {})[key] = value


def known(g: nx.Graph, key: Hashable) -> bool:
    """Whether a result for ``key`` is remembered for ``g`` (an unfrozen graph is always recomputed: False)."""
    slot = _MEMO.get(g) if nx.is_frozen(g) else None
    return slot is not None and key in slot


def forget(g: nx.Graph) -> None:
    """Drop everything remembered for ``g`` (it is recomputed on next use)."""
    _MEMO.pop(g, None)


def release_memory(g: nx.Graph) -> None:
    """Forget what is remembered for ``g`` and hand freed memory back to the system.

    After the metric tables, a large run holds gigabytes of matrices it no
    longer needs; CPython and glibc keep freed blocks for reuse, so without
    ``malloc_trim`` the process stays as large as its peak while the page
    writers grow beside it.
    """
    forget(g)
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
