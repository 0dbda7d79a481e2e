"""The small pieces plugins share instead of copying: a form's required text, a change whose
404 stays a 404, the page links of a list and a one-button form."""

from __future__ import annotations

import pytest
from flask import render_template_string

from core.errors import DomainError
from core.params import required_text


def test_required_text():
    assert required_text("  тема ", 10, "пусто", "длинно") == "тема"
    with pytest.raises(DomainError, match="пусто"):
        required_text("   ", 10, "пусто", "длинно")
    with pytest.raises(DomainError, match="длинно"):
        required_text("x" * 11, 10, "пусто", "длинно")


def test_pagination_and_post_button(app):
    page = ('{% from "macros/pages.html" import pagination %}'
            '{% from "macros/forms.html" import post_button %}'
            "{{ pagination(3, 2, 'people.groups', q='ab', x=None) }}"
            "{{ post_button('/go', 'Идти', fields={'value': 1}) }}")
    with app.test_request_context():
        html = render_template_string(page)
    assert html.count('class="page-item') == 3
    assert 'class="page-item active"><a class="page-link" href="/people/groups?q=ab&amp;page=2"' \
        in html
    assert "x=" not in html
    assert '<form method="post" action="/go">' in html
    assert '<input type="hidden" name="value" value="1">' in html
    assert pagination_hidden(app)


def pagination_hidden(app) -> bool:
    with app.test_request_context():
        return not render_template_string(
            '{% from "macros/pages.html" import pagination %}'
            "{{ pagination(1, 1, 'people.groups') }}").strip()
