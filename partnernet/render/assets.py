"""Static assets of the HTML pages, read as package data.

* ``vis-network.min.js`` — the standalone vis-network 9.1.2 build that pyvis
  ships in its package (``pyvis/lib/vis-9.1.2``). It is located with
  :func:`importlib.util.find_spec`, which does not import pyvis (pyvis imports
  IPython at import time). Its CSS is not used: it is 220 KB, almost all of it
  for the configurator and the manipulation toolbar, which the maps do not
  show; ``map.css`` styles the one element we need (the tooltip).
* ``map.js`` and ``map.css`` — partnernet's own, in ``partnernet/render/static``.

Pages either inline these (one self-contained file) or link them from an
``assets/`` folder that the publish site writes once with :func:`asset_files`.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from importlib import resources
from pathlib import Path

VIS_JS = "vis-network.min.js"
MAP_JS = "map.js"
MAP_CSS = "map.css"
VIS_VERSION = "9.1.2"


class AssetError(RuntimeError):
    """A packaged asset is missing (a broken installation)."""


def _pyvis_dir() -> Path:
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise AssetError("pyvis is not installed; it provides vis-network")
    return Path(next(iter(spec.submodule_search_locations)))


def vis_network_path() -> Path:
    """Path of the vis-network build shipped inside the installed pyvis package."""
    path = _pyvis_dir() / "lib" / f"vis-{VIS_VERSION}" / VIS_JS
    if not path.is_file():
        raise AssetError(f"vis-network {VIS_VERSION} not found in pyvis at {path}")
    return path


@lru_cache(maxsize=None)
def read_asset(name: str) -> str:
    """The text of one asset by file name (UTF-8)."""
    if name == VIS_JS:
        return vis_network_path().read_text(encoding="utf-8")
    try:
        return resources.files("partnernet.render").joinpath("static", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssetError(f"asset {name!r} is missing from partnernet/render/static") from None


def asset_files() -> dict[str, bytes]:
    """Every asset a linked page needs, by file name, for the site to write into ``assets/``."""
    return {name: read_asset(name).encode("utf-8") for name in (VIS_JS, MAP_JS, MAP_CSS)}
