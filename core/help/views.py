"""The help's pages: the index of what the reader's roles do, a page, the search; and the «?»
link every page's header carries (``help_url``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.help import pages
from core.people.roles import role_title

bp = Blueprint("help", __name__, url_prefix="/help")

#: the folders' titles in the index; a folder not named here is titled by its pages' role
FOLDER_TITLES = {"common": _l("Для всех"), "administration": _l("Администрация колледжа")}


def folder_title(folder: str) -> str:
    if folder in FOLDER_TITLES:
        return str(FOLDER_TITLES[folder])
    try:
        return role_title(folder)
    except ValueError:
        return folder


def help_url() -> str:
    """The help for the page being shown: the page naming its endpoint, else the index."""
    page = pages.for_endpoint(request.endpoint, current_user)
    if page is not None:
        return page_url(page)
    return url_for("help.index")


def page_url(page: pages.HelpPage) -> str:
    return url_for("help.page", folder=page.folder, topic=page.topic)


@bp.get("/")
def index():
    sections: dict[str, list[pages.HelpPage]] = {}
    for page in pages.readable(current_user):
        sections.setdefault(page.folder, []).append(page)
    return render_template("help/index.html", sections=sections, folder_title=folder_title)


@bp.get("/search")
def search():
    query = request.args.get("q", "").strip()[:200]
    found = pages.search(query, current_user) if query else []
    return render_template("help/search.html", query=query, found=found)


@bp.get("/<folder>/<topic>")
def page(folder: str, topic: str):
    found = pages.library().get(f"{folder}/{topic}")
    if found is None or not pages.may_read(found, current_user):
        abort(404)
    related = [other for other in pages.readable(current_user)
               if other.folder == found.folder and other.slug != found.slug]
    return render_template("help/page.html", page=found, related=related,
                           folder_title=folder_title)
