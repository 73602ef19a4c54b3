"""Secondary suppression on small hand-made tables, where the right answer is known."""

from orchestration.outputs.suppression import Total, secondary_suppression


def test_a_single_hidden_part_hides_the_next_smallest_part():
    counts = {"all": 20, "a": 3, "b": 7, "c": 10, "d": 0}
    hidden = secondary_suppression(counts, {"a"}, [Total("all", ("a", "b", "c", "d"))])
    assert hidden == {"a", "b"}


def test_two_hidden_parts_need_nothing_more():
    counts = {"all": 20, "a": 3, "b": 2, "c": 15}
    assert secondary_suppression(counts, {"a", "b"}, [Total("all", ("a", "b", "c"))]) == {"a", "b"}


def test_hiding_spreads_to_every_total_a_cell_belongs_to():
    # 'b' is hidden to protect 'a' under the first total; the second total (a period over
    # its months, say) then has 'b' as its only hidden cell and must hide one more.
    counts = {"all": 20, "a": 3, "b": 7, "c": 10, "year": 30, "e": 8, "f": 15}
    totals = [Total("all", ("a", "b", "c")), Total("year", ("b", "e", "f"))]
    assert secondary_suppression(counts, {"a"}, totals) == {"a", "b", "e"}


def test_nothing_hidden_when_nothing_is_small():
    counts = {"all": 20, "a": 10, "b": 10}
    assert secondary_suppression(counts, set(), [Total("all", ("a", "b"))]) == set()
