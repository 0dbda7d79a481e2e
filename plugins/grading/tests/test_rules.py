"""The pure rules: strict parsing, weighted averages and the minimum-marks rule of both presets."""

from __future__ import annotations

import pytest

from core.policy import policy_value
from plugins.grading.rules import (
    FIVE,
    PASS_FAIL,
    InvalidValue,
    is_failing,
    min_marks_for,
    parse_value,
    scale_of_final,
    shortfall,
    weighted_average,
)


@pytest.mark.parametrize("raw", ["6", "0", "abc", "", " 5 ", "5 ", "1", "55", "з", "н/а", None, 5])
def test_five_point_scale_refuses_everything_but_its_marks(ctx, raw):
    with pytest.raises(InvalidValue) as caught:
        parse_value(raw, FIVE)
    assert caught.value.message


@pytest.mark.parametrize("raw", ["5", "4", "3", "2"])
def test_five_point_scale_accepts_its_marks(ctx, raw):
    assert parse_value(raw, FIVE).points == int(raw)


@pytest.mark.parametrize("raw,value,text", [("з", "pass", "зач"), ("зач", "pass", "зач"),
                                            ("нз", "fail", "нз")])
def test_pass_fail_scale_accepts_its_marks(ctx, raw, value, text):
    parsed = parse_value(raw, PASS_FAIL)
    assert (parsed.value, parsed.text, parsed.points) == (value, text, None)


@pytest.mark.parametrize("raw,value", [
    ("Зач", "pass"), ("ЗАЧЁТ", "pass"), ("зачет", "pass"), ("зачтено", "pass"), ("зач.", "pass"),
    ("незач", "fail"), ("Незачёт", "fail"), ("не зачтено", "fail"), ("н/з", "fail"),
    ("не зач", "fail")])
def test_pass_fail_scale_takes_the_usual_spellings(ctx, raw, value):
    assert parse_value(raw, PASS_FAIL).value == value


@pytest.mark.parametrize("raw", ["зачёт ", "зачтёно", "незачётт", "н", "не"])
def test_pass_fail_scale_still_refuses_what_is_not_a_spelling(ctx, raw):
    with pytest.raises(InvalidValue):
        parse_value(raw, PASS_FAIL)


def test_a_credit_is_pass_fail_in_a_five_point_discipline(ctx):
    assert scale_of_final("credit", FIVE) == PASS_FAIL
    assert parse_value("зач", scale_of_final("credit", FIVE), final=True).value == "pass"
    assert scale_of_final("diff_credit", FIVE) == FIVE
    assert scale_of_final("exam", PASS_FAIL) == PASS_FAIL


@pytest.mark.parametrize("raw", ["5", "2", "x", "", "н/а"])
def test_pass_fail_scale_refuses_points(ctx, raw):
    with pytest.raises(InvalidValue):
        parse_value(raw, PASS_FAIL)


@pytest.mark.parametrize("raw", ["н/а", "осв.", "Д"])
def test_special_marks_are_final_marks_only(ctx, raw):
    with pytest.raises(InvalidValue) as caught:
        parse_value(raw, FIVE)
    assert "итоговой" in caught.value.message
    assert parse_value(raw, PASS_FAIL, final=True).text == raw


def test_exempt_and_debt_as_finals(ctx):
    assert parse_value("осв.", FIVE, final=True).text == "осв."
    assert parse_value("Д", FIVE, final=True).value == "debt"


def test_weighted_average_uses_weights_and_skips_special_marks():
    marks = [("5", "control"), ("3", "oral"), ("na", "oral"), ("pass", "oral")]
    assert weighted_average(marks, {"control": 2.0, "oral": 1.0}) == pytest.approx(13 / 3)
    assert weighted_average(marks, {}) == pytest.approx(4.0)
    assert weighted_average([("na", "oral")], {}) is None


# hours a week -> marks needed, as each preset's text says (BTT 4.5.2, KTIS 4.2 read in ktis.toml)
EXPECTED_MIN = {"btt": {1: 3, 2: 5, 4: 5}, "ktis": {1: 2, 2: 2, 4: 4}}


@pytest.mark.parametrize("preset", ["btt", "ktis"])
@pytest.mark.parametrize("hours", [1, 2, 4])
def test_minimum_marks_of_each_preset_by_weekly_hours(make_app, preset, hours):
    application = make_app(POLICY=preset)
    with application.app_context():
        tiers = policy_value("grades.min_marks")
        required = policy_value("grades.min_marks_required_kinds")
    needed = EXPECTED_MIN[preset][hours]
    assert min_marks_for(tiers, hours) == needed
    written = [("4", "written")] * needed
    assert shortfall(written, tiers, required, hours, declared_kinds=["written"]).ok
    short = shortfall(written[:-1], tiers, required, hours, declared_kinds=["written"])
    assert short.marks_short == 1 and not short.ok


def test_required_kinds_count_only_when_the_load_declares_such_work(ctx):
    tiers = [{"hours_from": 1, "count": 2}]
    marks = [("5", "oral"), ("4", "oral")]
    assert shortfall(marks, tiers, ["laboratory"], 2, declared_kinds=["written"]).ok
    missing = shortfall(marks, tiers, ["laboratory"], 2, declared_kinds=["laboratory"])
    assert missing.missing_kinds == ("laboratory",)
    assert "лабораторная" in missing.describe()


#: the kinds of work whose marks each regulation requires before a final: BTT 4.5.2 «по
#: письменным контрольным, проверочным, лабораторным, практическим работам»; KTIS 4.2 «с
#: обязательным выполнением обучающимися письменных, лабораторных и практических занятий»
REGULATION_KINDS = {"btt": {"written", "control", "laboratory", "practical"},
                    "ktis": {"written", "laboratory", "practical"}}


@pytest.mark.parametrize("preset", ["btt", "ktis"])
def test_each_presets_required_kinds_are_those_of_its_regulation(make_app, preset):
    application = make_app(POLICY=preset)
    with application.app_context():
        required = policy_value("grades.min_marks_required_kinds")
    assert set(required) == REGULATION_KINDS[preset]
    assert len(required) == len(set(required))


def test_special_marks_do_not_count_toward_the_minimum():
    tiers = [{"hours_from": 1, "count": 2}]
    assert shortfall([("na", "oral"), ("5", "oral")], tiers, [], 1).marks_short == 1


@pytest.mark.parametrize(("raw", "scale", "final"), [("2", FIVE, False), ("нз", PASS_FAIL, False),
                                                     ("н/а", FIVE, True), ("Д", FIVE, True)])
def test_a_two_not_passed_not_attested_and_debt_are_failing(ctx, raw, scale, final):
    assert is_failing(parse_value(raw, scale, final=final).value)


@pytest.mark.parametrize(("raw", "scale", "final"), [("3", FIVE, False), ("5", FIVE, False),
                                                     ("з", PASS_FAIL, False),
                                                     ("осв", FIVE, True)])
def test_passing_and_exempt_marks_are_not_failing(ctx, raw, scale, final):
    assert not is_failing(parse_value(raw, scale, final=final).value)


def test_an_empty_value_is_not_failing():
    assert not is_failing("") and not is_failing(None)
