"""The error tracker (Sentry, through sentry-sdk) when ``SENTRY_DSN`` is configured; without a
DSN nothing is initialised and nothing leaves the server.

What is sent carries no personal data: no default PII, no local variables, and
:func:`before_send` keeps of the request only its method and URL without the query string, of
the user only the id, drops exception messages (they may quote typed values or a query's
parameters) and breadcrumbs' data, and tags the event with the incident number the user saw.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask

log = logging.getLogger(__name__)

#: the request's fields that are sent; headers, cookies, the body and the query string are not
REQUEST_KEPT = ("method", "url")


def init_app(app: Flask) -> bool:
    """Initialise sentry-sdk for ``app`` when ``SENTRY_DSN`` is set; return whether it was."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    from core import __version__

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config.get("SENTRY_ENVIRONMENT") or None,
        release=f"ejournal@{__version__}",
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        # the error handler captures each incident itself, with its number; log records only
        # become breadcrumbs (an error logged would otherwise be a second event)
        integrations=[FlaskIntegration(), LoggingIntegration(event_level=None)],
        traces_sample_rate=float(app.config.get("SENTRY_TRACES_SAMPLE_RATE") or 0.0),
    )
    return True


def capture(exc: BaseException, incident: str, user_id: int | None) -> None:
    """Send ``exc`` to the tracker (when initialised) tagged with ``incident``."""
    import sentry_sdk

    if not sentry_sdk.is_initialized():
        return
    with sentry_sdk.new_scope() as scope:
        scope.set_tag("incident", incident)
        scope.set_user({"id": str(user_id)} if user_id is not None else None)
        sentry_sdk.capture_exception(exc)


def _bare_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """``event`` without personal data, tagged with its incident number (see the module)."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in REQUEST_KEPT if key in request}
        if "url" in kept:
            kept["url"] = _bare_url(str(kept["url"]))
        event["request"] = kept
    user = event.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    for exception in (event.get("exception") or {}).get("values") or ():
        exception["value"] = ""
        for frame in (exception.get("stacktrace") or {}).get("frames") or ():
            frame.pop("vars", None)
    event.pop("logentry", None)  # a logged message's arguments
    event.pop("extra", None)
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values or ():
        crumb.pop("data", None)
    tags = event.setdefault("tags", {})
    incident = tags.get("incident") if isinstance(tags, dict) else None
    exc = (hint.get("exc_info") or (None, None, None))[1]
    incident = incident or getattr(exc, "ejournal_incident", None)
    if incident and isinstance(tags, dict):
        tags["incident"] = incident
    return event
