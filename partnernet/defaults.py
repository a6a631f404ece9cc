"""Every user-facing default and choice, in one leaf module.

The command line reads these for ``--help`` (so they are plain constants and
this module imports nothing heavy), and the library modules take the same
names from here, so a default is written once.
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("da", "en")
"""The languages of maps and sites."""
DEFAULT_LANG: Final = "da"
