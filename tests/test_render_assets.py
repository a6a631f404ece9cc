"""The colours of the pages' style sheets (partnernet/render/static) meet WCAG 2.1 AA contrast:
text 4.5:1 against every background it is drawn on (1.4.3), outlines, borders and focus
rings of controls and graphics 3:1 (1.4.11). The colours are read from the sheets themselves."""

import re

import pytest

from partnernet.render.assets import read_asset
from partnernet.render.map import EDGE_COLOR, _darker
from partnernet.views.map_columns import CATEGORY_COLORS
from partnernet import schema
from partnernet.views.map import COMMUNITY_COLORS, GROUP_COLORS, OTHER_COLOR

from .colour_util import contrast_ratio

WHITE = "#ffffff"


def _variables(sheet: str) -> dict[str, str]:
    """The ``--name: #rrggbb`` custom properties of a style sheet's :root."""
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", read_asset(sheet)))


# (foreground, background, what): text on the backgrounds it appears on
TEXT = [
    ("ink", "white", "body text"), ("ink", "soft", "text on the grey bands"), ("ink", "accent-soft", "hovered button"),
    ("muted", "white", "secondary text"), ("muted", "soft", "legend, breadcrumbs, counts on grey"),
    ("accent", "white", "links and buttons"), ("accent", "soft", "links on grey"),
    ("accent", "accent-soft", "hovered button"), ("white", "accent", "header and pressed buttons"),
]
# (foreground, background, what): graphics and the focus ring
GRAPHICS = [
    ("ink", "white", "focus ring on a light background"), ("focus", "accent", "focus halo on the header"),
    ("ink", "focus", "focus ring against its halo"), ("accent", "white", "button border"),
]


def _sheet_pairs() -> list[tuple[str, str, str, str, float]]:
    """(sheet, fg, bg, what, least ratio) for every pair whose two colours the sheet defines."""
    out = []
    for sheet in ("site.css", "map.css"):
        v = {**_variables(sheet), "white": WHITE}
        for pairs, least in ((TEXT, 4.5), (GRAPHICS, 3.0)):
            out += [(sheet, v[fg], v[bg], what, least) for fg, bg, what in pairs if fg in v and bg in v]
    return out


@pytest.mark.parametrize("sheet,fg,bg,what,least", _sheet_pairs())
def test_colours_of_the_sheets_meet_aa_contrast(sheet, fg, bg, what, least):
    assert contrast_ratio(fg, bg) >= least, f"{sheet}: {what} ({fg} on {bg})"


@pytest.mark.parametrize("fg,bg,what", [
    ("#4c2c92", WHITE, "visited link"), ("#9e3a00", WHITE, "missing sector (status)"),
    (WHITE, "#2f4f6f", "figure in a filled coverage cell"), ("#1a1a1a", "#fff4d6", "map note"),
    ("#1a1a1a", "#f7f7f5", "hovered table row"), ("#575757", "#f7f7f5", "muted text in a hovered row"),
])
def test_literal_text_colours_in_the_sheets(fg, bg, what):
    assert fg.lower() in read_asset("site.css").lower() + read_asset("map.css").lower()
    assert contrast_ratio(fg, bg) >= 4.5, what


@pytest.mark.parametrize("fg,bg,what", [
    ("#767676", WHITE, "text box border"), ("#333333", WHITE, "swatch outline"), ("#333333", "#f3f3f1", "swatch on grey"),
    ("#2f4f6f", "#f1f1ef", "filled against empty coverage cell"), ("#8c8c8c", WHITE, "table header rule"),
])
def test_literal_graphics_colours_in_the_sheets(fg, bg, what):
    assert fg.lower() in read_asset("site.css").lower() + read_asset("map.css").lower()
    assert contrast_ratio(fg, bg) >= 3, what


def test_every_map_node_and_line_stands_out_from_the_white_map():
    """A node's fill may be light (Okabe–Ito yellow is 1.3:1 on white), so its border carries the 3:1; lines too."""
    fills = {s.color for s in schema.DEFAULT_SECTORS.sectors} | set(GROUP_COLORS.values()) | set(COMMUNITY_COLORS)
    fills |= {schema.NO_SECTOR_COLOR, schema.PARTNERSHIP_COLOR, OTHER_COLOR} | set(CATEGORY_COLORS)
    weak = {c: round(contrast_ratio(_darker(c), WHITE), 2) for c in sorted(fills) if contrast_ratio(_darker(c), WHITE) < 3}
    assert not weak, f"node borders under 3:1 on white: {weak}"
    assert contrast_ratio(EDGE_COLOR, WHITE) >= 3
