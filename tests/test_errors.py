"""Tests for partnernet.errors: did-you-mean and the value a problem keeps."""

from partnernet.errors import VALUE_MAX, close_matches, cut_value, suggest


def test_suggest_words_the_closest_choice_like_a_value():
    assert suggest("helth", ["health", "state"]) == '; did you mean "health"?'
    assert suggest("zzz", ["health", "state"]) == ""


def test_a_case_only_difference_always_wins():
    assert close_matches("HEALTH", ["healthy", "health"]) == ["health"]
    assert close_matches("A", ["a", "A"]) == ["a"]  # of case twins the first is kept


def test_case_sensitive_matching_on_request():
    assert close_matches("Network", ["network", "actors"], ignore_case=False, cutoff=0.9) == []
    assert close_matches("netwrk", ["network", "actors"], n=3, ignore_case=False) == ["network"]


def test_cut_value_keeps_only_text_short():
    assert cut_value("x" * (VALUE_MAX + 5)) == "x" * VALUE_MAX
    assert cut_value(12) == 12 and cut_value(None) is None


def test_every_part_of_a_problem_from_the_data_is_escaped():
    from partnernet.errors import Problem, show_list

    p = Problem("n\x1b]0;title\x07.csv", 1, 1, "\x1b[2Jname", "a\x00b", "reason")
    text = str(p)
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text
    assert text == 'n\\x1b]0;title\\x07.csv:1:1 (\\x1b[2Jname): "a\\x00b" – reason'
    assert show_list(["\x1b[2J", *map(str, range(30))]).startswith('"\\x1b[2J", "0", ')
    assert show_list(map(str, range(30))).endswith('"19", … 10 more')
