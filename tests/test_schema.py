"""The default sector palette (partnernet.schema): every sector colour, and the colours of
nodes without a sector and of partnerships, visibly apart (CIEDE2000 ΔE00 ≥ 10)."""

import itertools

import pytest

from partnernet import schema

from .colour_util import ciede2000, srgb_to_lab

#: Sharma, Wu and Dalal (2005), Table 1: (L1, a1, b1, L2, a2, b2, ΔE00), all 34 pairs.
SHARMA_2005 = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]

#: The smallest CIEDE2000 distance between two colours of the default palette.
MIN_DELTA_E = 10
#: CIELAB chroma below which a colour reads as grey.
GREY_CHROMA = 15


@pytest.mark.parametrize("row", SHARMA_2005, ids=[f"pair-{i + 1}" for i in range(len(SHARMA_2005))])
def test_ciede2000_matches_sharma_2005(row):
    lab1, lab2, expected = row[:3], row[3:6], row[6]
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)


def test_srgb_to_lab_of_white_black_and_mid_grey():
    assert srgb_to_lab("#ffffff") == pytest.approx((100, 0, 0), abs=1e-3)
    assert srgb_to_lab("#000000") == pytest.approx((0, 0, 0), abs=1e-9)
    assert srgb_to_lab("#777777")[0] == pytest.approx(50.0, abs=0.1)


def test_default_palette_colours_are_visibly_apart():
    """No two sector colours, nor the no-sector and partnership colours, closer than ΔE00 10."""
    colours = {s.id: s.color for s in schema.DEFAULT_SECTORS.sectors}
    colours["(no sector)"] = schema.NO_SECTOR_COLOR
    colours["(partnership)"] = schema.PARTNERSHIP_COLOR
    close = []
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        d = ciede2000(srgb_to_lab(ca), srgb_to_lab(cb))
        if d < MIN_DELTA_E:
            close.append(f"{a} {ca} / {b} {cb}: ΔE00 {d:.1f}")
    assert not close, "colours too alike:\n" + "\n".join(close)
    assert len(set(colours.values())) == len(colours)


def _chroma(colour):
    _, a, b = srgb_to_lab(colour)
    return (a * a + b * b) ** 0.5


def test_grey_chroma_of_greys_and_colours():
    assert _chroma("#999999") < 1 and _chroma("#6b6b6b") < 1
    assert _chroma("#0072B2") > GREY_CHROMA


def test_no_sector_colour_is_grey():
    """Grey means "no sector" (and partnerships): a sector in grey beside the no-sector grey differs only
    in lightness, which a legend reader cannot name apart (the old #999999 beside #6b6b6b, ΔE00 17)."""
    greys = [f"{s.id} {s.color}: chroma {_chroma(s.color):.1f}" for s in schema.DEFAULT_SECTORS.sectors
             if _chroma(s.color) < GREY_CHROMA]
    assert not greys, "sector colours that read as grey:\n" + "\n".join(greys)
    assert _chroma(schema.NO_SECTOR_COLOR) < GREY_CHROMA  # the greys stay the no-sector colours
