"""``core.forms.attempt``: a change is committed whole or refused whole, with its reason."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages

from core.errors import DomainError, NotFound
from core.forms import attempt


class _Field:
    def __init__(self):
        self.errors: list[str] = []


def _refuse(error: DomainError):
    def change():
        raise error

    return change


def test_a_change_is_committed_and_its_result_returned(ctx):
    assert attempt(lambda: 42) == (True, 42)


def test_a_refusal_is_put_on_the_field(ctx):
    field = _Field()
    assert attempt(_refuse(DomainError("Нельзя")), field) == (False, None)
    assert field.errors == ["Нельзя"]


def test_a_refusal_without_a_field_is_flashed(ctx):
    assert attempt(_refuse(DomainError("Нельзя"))) == (False, None)
    assert get_flashed_messages(with_categories=True) == [("danger", "Нельзя")]


def test_an_object_outside_scope_is_a_message_unless_asked_to_stay_a_404(ctx):
    field = _Field()
    assert attempt(_refuse(NotFound("Нет такой страницы")), field) == (False, None)
    with pytest.raises(NotFound):
        attempt(_refuse(NotFound("Нет такой страницы")), field, outside_is_404=True)
    assert field.errors == ["Нет такой страницы"]  # only the first one was put on the field
    assert attempt(_refuse(DomainError("Нельзя")), _Field(), outside_is_404=True) == (False, None)
