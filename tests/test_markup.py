"""People's formatting is a safe subset of Markdown: no script, no raw HTML, links open safely."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core import markup


def test_markdown_subset_is_rendered():
    html = str(markup.render("**жирный** и *курсив*\n\n- один\n- два\n\n> цитата"))
    assert "<strong>жирный</strong>" in html and "<em>курсив</em>" in html
    assert "<li>один</li>" in html and "<blockquote>" in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[нажми](javascript:alert(1))",
    "[нажми](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://example.org"></iframe>',
    "<style>body{display:none}</style>",
])
def test_hostile_input_is_harmless(hostile):
    tags = _tags(str(markup.render(hostile)))
    assert {tag for tag, _attrs in tags} <= markup.TAGS
    for _tag, attrs in tags:
        assert not [name for name, _value in attrs if name.startswith("on")]
        href = dict(attrs).get("href")
        assert href is None or href.split(":")[0].lower() in {"http", "https", "mailto"}


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The start tags of ``html`` with their attributes, as a browser's parser reads them."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(html)
    return found


def test_links_open_safely():
    html = str(markup.render("[сайт](https://example.org/a?b=1)"))
    assert 'href="https://example.org/a?b=1"' in html
    assert 'rel="noopener noreferrer nofollow"' in html and 'target="_blank"' in html


def test_headings_start_below_the_page():
    assert "<h3>" in str(markup.render("# Заголовок"))


def test_plain_and_quote():
    assert markup.plain("**Важно:** <b>собрание</b> в 15:00", limit=200) == \
        "Важно: <b>собрание</b> в 15:00"
    assert markup.plain("слово " * 100, limit=20).endswith("…")
    assert markup.quote("строка 1\nстрока 2", "Иванов И. И.") == \
        "> **Иванов И. И.:**\n> строка 1\n> строка 2\n\n"


def test_filter_is_registered(app):
    with app.test_request_context():
        rendered = app.jinja_env.from_string("{{ text | markdown }}").render(text="<b>x</b> *y*")
    assert "&lt;b&gt;" in rendered and "<em>y</em>" in rendered
