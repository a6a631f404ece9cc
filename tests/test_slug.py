"""Slugs: safe on every file system, stable, unique."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.slug import HASH_LENGTH, MAX_LENGTH, RESERVED, id_hash, slug_for, slugify, unique_slugs

SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def assert_safe(slug: str) -> None:
    assert SAFE.fullmatch(slug), slug
    assert len(slug) <= MAX_LENGTH
    assert slug not in RESERVED
    assert ".." not in slug and "/" not in slug and "\\" not in slug and ":" not in slug


def test_clean_ids_are_kept_as_they_are():
    for i in ("p-groenne-indkoeb", "kl", "3f", "a-b-c", "x"):
        assert slug_for(i) == i


def test_danish_letters_are_transliterated():
    s = slug_for("Grønne Indkøb på Ærø")
    assert s.startswith("groenne-indkoeb-paa-aeroe-")
    assert_safe(s)


@pytest.mark.parametrize(
    "node_id, stem",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\x", "x"),
        ("C:\\x", "c-x"),
        ("con", "con"),
        ("NUL", "nul"),
        ("com1", "com1"),
        ("LPT9", "lpt9"),
        ("a/b", "a-b"),
        ("", "x"),
        ("...", "x"),
        ("/", "x"),
        ("æøå", "aeoeaa"),
        ("İstanbul", "istanbul"),
        ("日本", "x"),
        ("a\x00b", "a-b"),
    ],
)
def test_hostile_ids_become_safe_slugs(node_id, stem):
    s = slug_for(node_id)
    assert_safe(s)
    assert s == f"{stem}-{id_hash(node_id)}"


def test_reserved_windows_names_are_never_slugs_in_any_case():
    for name in ("con", "CON", "Con", "nul", "NUL", "aux", "prn", "com1", "lpt1"):
        s = slug_for(name)
        assert s.split("-")[0] == name.lower()
        assert s not in RESERVED
        assert s.lower() not in RESERVED


def test_long_ids_are_bounded_and_stay_unique():
    a = "x" * 300
    b = "x" * 299 + "y"
    sa, sb = slug_for(a), slug_for(b)
    assert len(sa) == MAX_LENGTH and len(sb) == MAX_LENGTH
    assert sa != sb
    assert_safe(sa)


def test_a_clean_id_longer_than_the_limit_is_shortened_with_a_hash():
    long = "-".join(["partnerskab"] * 10)
    s = slug_for(long)
    assert len(s) <= MAX_LENGTH
    assert s.endswith(id_hash(long))
    assert s.startswith("partnerskab-partnerskab")


def test_slugs_are_stable_and_do_not_depend_on_other_ids():
    assert slug_for("Aarhus Kommune") == slug_for("Aarhus Kommune")
    alone = unique_slugs(["Aarhus Kommune"])
    crowd = unique_slugs(["Aarhus Kommune", "aarhus-kommune", "AARHUS KOMMUNE", "b"])
    assert alone["Aarhus Kommune"] == crowd["Aarhus Kommune"]
    assert crowd["aarhus-kommune"] == "aarhus-kommune"


def test_colliding_ids_get_different_slugs():
    ids = ["Aarhus Kommune", "aarhus kommune", "aarhus-kommune", "aarhus_kommune", "AARHUS-KOMMUNE", "con", "CON"]
    slugs = unique_slugs(ids)
    assert len(set(slugs.values())) == len(ids)
    for s in slugs.values():
        assert_safe(s)


def test_a_clean_id_that_looks_like_a_hashed_slug_keeps_its_name():
    other = "Foo Bar"
    lookalike = slug_for(other)  # "foo-bar-<hash>", itself a clean id
    slugs = unique_slugs([other, lookalike])
    assert slugs[lookalike] == lookalike
    assert slugs[other] != lookalike
    assert slugs[other].endswith(id_hash(other, HASH_LENGTH + 4))


def test_unique_slugs_does_not_depend_on_input_order():
    ids = ["b", "A", "a", "Ø", "ø", "oe"]
    assert unique_slugs(ids) == unique_slugs(list(reversed(ids)))


def test_slugify_is_the_readable_part():
    assert slugify("Ældre Sagen / Aarhus") == "aeldre-sagen-aarhus"
    assert slugify("  --  ") == ""
    assert len(slugify("word " * 40)) <= MAX_LENGTH


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=30))
def test_any_ids_give_safe_unique_slugs(ids):
    slugs = unique_slugs(ids)
    assert set(slugs) == {str(i) for i in ids}
    values = list(slugs.values())
    assert len(set(values)) == len(values)
    for s in values:
        assert_safe(s)
