"""partnernet: analyse and publish networks of cross-sector partnerships."""

__version__ = "0.1.0"
