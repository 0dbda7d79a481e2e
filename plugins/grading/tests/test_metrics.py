"""The progress metrics on hand-computed examples (REQUIREMENTS §5), including осв. and н/а."""

from __future__ import annotations

import pytest

from plugins.grading import metrics


def test_a_group_with_every_kind_of_result():
    # 5 5 4 3 2 н/а осв. зач: N = 6 (осв. and зач are outside it)
    found = metrics.of(["5", "5", "4", "3", "2", "na", "exempt", "pass"])
    assert (found.n5, found.n4, found.n3, found.n2, found.na, found.exempt, found.passed) == \
        (2, 1, 1, 1, 1, 1, 1)
    assert found.total == 6
    assert found.absolute == 66.7  # (2 + 1 + 1) / 6
    assert found.quality == 50.0  # (2 + 1) / 6
    assert found.sou == 53.8  # (2·100 + 64 + 36 + 16 + 7) / 6 = 323 / 6
    assert found.mean == 3.8  # (5 + 5 + 4 + 3 + 2) / 5: н/а has no value


def test_only_good_marks():
    found = metrics.of(["5", "4", "4", "4"])
    assert (found.absolute, found.quality, found.sou, found.mean) == (100.0, 100.0, 73.0, 4.25)


def test_exempt_students_do_not_lower_anything():
    with_exempt = metrics.of(["5", "3", "exempt", "exempt", ""])
    assert with_exempt.row() == metrics.of(["5", "3"]).row()[:6] + [2] + metrics.of(
        ["5", "3"]).row()[7:]
    assert with_exempt.total == 2 and with_exempt.quality == 50.0


def test_not_attested_counts_in_n_with_weight_seven():
    found = metrics.of(["na", "na", "4", "5"])
    assert found.total == 4
    assert found.absolute == 50.0 and found.quality == 50.0
    assert found.sou == 44.5  # (100 + 64 + 7 + 7) / 4 = 178 / 4
    assert found.mean == 4.5


def test_debt_is_an_unsatisfactory_result():
    assert metrics.of(["debt", "3"]).row() == metrics.of(["2", "3"]).row()


def test_nothing_to_count():
    found = metrics.of(["exempt", "pass", ""])
    assert found.total == 0
    assert (found.absolute, found.quality, found.sou, found.mean) == (None, None, None, None)


@pytest.mark.parametrize(("values", "category"), [
    (["5", "5", "pass"], "excellent"),
    (["5", "4"], "good"),
    (["5", "4", "3"], "one_three"),
    (["3", "3", "4"], "satisfactory"),
    (["5", "na"], "failing"),
    (["5", "fail"], "failing"),
    (["4", "debt"], "failing"),
    (["pass", "exempt"], "none"),
    ([], "none"),
])
def test_categories(values, category):
    assert metrics.category(values) == category
