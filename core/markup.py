"""Formatting that people type (forum posts, announcements, materials): a safe subset of
Markdown, rendered by markdown-it-py with raw HTML off and sanitised by nh3, never raw HTML.

Links keep only http, https and mailto addresses, open in a new tab and carry
``rel="noopener noreferrer nofollow"``, so a post can neither run a script nor take over the page
that opened it.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: the longest text rendered; longer input is cut (forms limit what is stored)
MAX_CHARS = 100_000


@lru_cache(maxsize=2)
def _parser(breaks: bool = True) -> MarkdownIt:
    # commonmark with tables and strike-through; "html": False turns raw HTML into text
    parser = MarkdownIt("commonmark", {"html": False, "breaks": breaks, "linkify": False})
    parser.enable(["table", "strikethrough"])
    # headings a post may use start below the page's own
    parser.add_render_rule("heading_open", _heading_open)
    parser.add_render_rule("heading_close", _heading_close)
    return parser


def _level(token) -> str:
    return f"h{min(int(token.tag[1]) + 2, 6)}"


def _heading_open(self, tokens, idx, options, env) -> str:
    return f"<{_level(tokens[idx])}>"


def _heading_close(self, tokens, idx, options, env) -> str:
    return f"</{_level(tokens[idx])}>\n"


def render(text: str | None, breaks: bool = True) -> Markup:
    """``text`` (Markdown) as sanitised HTML, safe to put in a page as is. A line break of
    ``text`` is kept as typed (people's posts), or with ``breaks=False`` joins the paragraph
    (documents wrapped in the source, like the help's pages)."""
    rendered = _parser(breaks).render((text or "")[:MAX_CHARS])
    clean = nh3.clean(
        rendered, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties={"text-align"},
    )
    return Markup(clean)  # noqa: S704 (nh3 made it safe)


def plain(text: str | None, limit: int = 200) -> str:
    """The text of ``text`` without its formatting, at most ``limit`` characters (a preview or
    an e-mail line); the caller's template escapes it."""
    bare = nh3.clean(_parser().render((text or "")[:MAX_CHARS]), tags=set())
    short = " ".join(html.unescape(bare).split())
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"


def quote(text: str | None, author: str) -> str:
    """``text`` as a Markdown quotation headed by its author, to start a reply with."""
    lines = (text or "").strip().splitlines() or [""]
    return f"> **{author}:**\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"


def init_app(app) -> None:
    """The templates' ``markdown`` filter."""
    app.add_template_filter(render, "markdown")
