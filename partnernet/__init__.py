"""partnernet: analyse and publish networks of cross-sector partnerships."""

import os as _os

__version__ = "0.1.0"


def _shield_numpy_from_source_date_epoch() -> None:
    """Import numpy's f2py with ``SOURCE_DATE_EPOCH`` hidden when it is not a whole number.

    f2py (which scipy imports) reads the variable with ``int()`` when it is first imported and
    raises on anything else, in every command. partnernet reads it only for a build date, where
    :func:`partnernet.publish.options.build_date` reports a bad value; everywhere else it is ignored.
    """
    value = _os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return
    try:
        int(value)
        return
    except ValueError:
        pass
    del _os.environ["SOURCE_DATE_EPOCH"]
    try:
        import numpy.f2py  # noqa: F401  (reads the variable once, at import)
    finally:
        _os.environ["SOURCE_DATE_EPOCH"] = value


_shield_numpy_from_source_date_epoch()
