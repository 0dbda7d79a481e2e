"""Hook implementations of the built-in help."""

from __future__ import annotations

from core.plugins import hookimpl


@hookimpl
def register_blueprints(app):
    from core.help import pages
    from core.help.views import bp, help_url, page_url

    pages.library(app)  # read now: a malformed page stops the start, not a user's request
    app.register_blueprint(bp)
    app.add_template_global(help_url, "help_url")
    app.add_template_global(page_url, "help_page_url")
