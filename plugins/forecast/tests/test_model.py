"""The forecast's statistics on small cases computed by hand (the arithmetic is in each test)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from plugins.forecast import model
from plugins.forecast.model import Inputs, MarkPoint

START = date(2026, 9, 1)
TITLES = {"oral": "устный ответ", "control": "контрольная работа"}


def weekly(*values: str, kind: str = "oral") -> list[MarkPoint]:
    return [MarkPoint(value, kind, START + timedelta(weeks=number))
            for number, value in enumerate(values)]


def run(marks, **more) -> model.Result:
    values = {"day": START + timedelta(weeks=7), "term_end": START + timedelta(weeks=11),
              "weights": {"oral": 1.0, "control": 2.0}, "kind_titles": TITLES}
    values.update(more)
    return model.forecast(Inputs(marks=marks, **values))


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def test_no_marks_and_no_lessons_left_is_nothing_to_go_on_and_a_likely_na():
    found = run([], needed=5, lessons_held=10, lessons_left=0)
    # no level (no marks, no other disciplines): no expected mark; 5 marks short with no
    # lesson left: P(Binomial(0, p) < 5) = 1 ≥ 0.5 → «н/а»
    assert (found.expected, found.low, found.high, found.current) == (None, None, None, None)
    assert found.risk == "na"
    assert "Текущих оценок пока нет." in found.reasons
    assert any("не хватает оценок: 5 из 5" in reason and "100%" in reason
               for reason in found.reasons)


def test_no_marks_yet_at_the_start_of_the_term_is_no_risk():
    found = run([], needed=0, lessons_held=0, lessons_left=20)
    assert (found.expected, found.risk) == (None, "none")


def test_no_marks_but_the_other_disciplines_give_a_level():
    found = run([], lessons_held=2, lessons_left=10, prior=4.2, prior_count=30)
    # the level is the prior, 4.2; all the final's marks are still to come: expected 4
    assert found.expected == 4 and found.current is None
    assert any("4,20" in reason and "30 оценок" in reason for reason in found.reasons)


def test_one_mark_and_no_lesson_left_is_that_mark_exactly():
    found = run(weekly("4"), lessons_held=1, lessons_left=0)
    # no marks to come: the final is the average itself, 4.0, with no spread
    assert (found.expected, found.low, found.high, found.risk) == (4, 4, 4, "none")
    assert found.current == 4.0 and found.sd == 0.0


def test_one_mark_with_lessons_left_has_a_range():
    found = run(weekly("4"), lessons_held=1, lessons_left=4)
    # pace (1 + 0.3·2)/(1 + 2) = 0.533 marks a lesson → 2.133 marks to come, of level 4:
    # mean 4.0; spread 0.8 (one mark: the default), level variance 0.64/1;
    # var = (2.133·0.64 + 2.133²·0.64)/3.133² = 0.4357 → sd 0.660 → range round(3.34)–round(4.66)
    assert (found.expected, found.low, found.high) == (4, 3, 5)
    assert found.mean == pytest.approx(4.0)
    assert found.sd == pytest.approx(0.6601, abs=1e-3)


def test_a_falling_trend_pulls_the_forecast_below_the_rounded_average():
    marks = weekly("5", "5", "4", "4", "3", "3", "2", "2")
    found = run(marks, lessons_held=8, lessons_left=4)
    # average 3.5 (naive: round(3.5) = 4); WLS slope −140/2058 = −0.068 a day, t ≈ 11 ≥ 3;
    # damped ×8/20 and carried 38.5 days (to the middle of the 4 weeks left): −1.05 → −1.0;
    # marks to come: pace (8 + 0.6)/10 = 0.86 × 4 = 3.44 of level 2.5;
    # mean (8·3.5 + 3.44·2.5)/11.44 = 3.199 → 3, sd 0.083 → range 3–3
    assert found.current == pytest.approx(3.5)
    assert found.mean == pytest.approx(3.1993, abs=1e-3)
    assert (found.expected, found.low, found.high, found.risk) == (3, 3, 3, "none")
    assert any(reason.startswith("Оценки снижаются: в первой половине в среднем 4,50, затем "
                                 "2,50") and "-1,0" in reason for reason in found.reasons)
    assert any("«2» (устный ответ, 13.10)" in reason for reason in found.reasons)


def test_marks_that_merely_scatter_are_no_trend():
    found = run(weekly("5", "3", "5", "3", "5", "3", "5", "3"), lessons_held=8, lessons_left=4)
    assert not any("Оценки" in reason and "тренд" in reason for reason in found.reasons)
    assert found.mean == pytest.approx(4.0)


def test_a_missing_required_kind_near_the_end_is_a_likely_na():
    marks = weekly("5", "5", "5", "5", "5")
    found = run(marks, required_kinds=("control",), lessons_held=8, lessons_left=2)
    # five 5s, but no mark for control work and only 2 lessons left (≤ 3) → «н/а»
    assert (found.expected, found.risk) == (5, "na")
    assert "Нет оценок за обязательные виды работ: контрольная работа." in found.reasons
    early = run(marks, required_kinds=("control",), lessons_held=8, lessons_left=10)
    assert early.risk == "none"


def test_unexcused_absences_over_half_the_hours_are_a_likely_na():
    marks = weekly("4", "4", "4")
    found = run(marks, lessons_held=15, lessons_left=5, hours_held=30, unexcused_hours=16,
                unexcused_month_max=12, chronic_threshold=10)
    # 16 of 30 hours missed without a valid reason: ≥ half → «н/а»; 12 h in a month ≥ 10
    assert found.risk == "na"
    assert "Пропущено без уважительной причины 16 ч из 30 ч занятий." in found.reasons
    assert ("Систематические пропуски: 12 ч без уважительной причины за месяц (порог — 10 ч)."
            in found.reasons)
    fewer = run(marks, lessons_held=15, lessons_left=5, hours_held=30, unexcused_hours=14)
    assert fewer.risk == "none"


def test_low_marks_are_a_risk_of_a_two_and_are_named():
    found = run([*weekly("2", "3"), MarkPoint("2", "control", START + timedelta(weeks=2))],
                lessons_held=6, lessons_left=4)
    # weighted average (2 + 3 + 2·2)/4 = 2.25: P(final average < 2.5) well over 0.3
    assert found.current == pytest.approx(2.25)
    assert (found.expected, found.risk) == (2, "fail")
    assert any(reason.startswith("Тянут вниз: «2» (контрольная работа, 15.09)")
               for reason in found.reasons)


def test_the_binomial_chance_of_falling_short():
    # P(X < 2) for X ~ B(3, 0.5) = (1 + 3)/8
    assert model.binomial_below(2, 3, 0.5) == pytest.approx(0.5)
    assert model.binomial_below(0, 3, 0.5) == 0.0
    assert model.binomial_below(1, 0, 0.5) == 1.0


def test_a_pass_fail_discipline_expects_no_mark_only_the_risk_of_not_passing():
    marks = weekly("pass", "fail", "fail", "pass", "fail")
    found = run(marks, pass_fail=True, lessons_held=6, lessons_left=4, prior=4.5, prior_count=20)
    # 3 of 5 «не зачтено» ≥ half → the risk of «не зачтено»; no mark, no range, no average
    assert (found.expected, found.low, found.high, found.current) == (None, None, None, None)
    assert found.risk == "fail"
    assert "Зачётная дисциплина: «не зачтено» — 3 из 5 текущих оценок." in found.reasons
    passing = run(weekly("pass", "pass", "fail"), pass_fail=True, lessons_held=4,
                  lessons_left=4)
    assert passing.risk == "none"
