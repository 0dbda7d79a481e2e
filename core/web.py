"""Web plumbing shared by every page: errors in Russian, security headers, navigation, sessions."""

from __future__ import annotations

import json
import logging

from flask import Flask, g, has_request_context, jsonify, render_template, request
from flask_babel import format_decimal, get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from core import audit_labels, incidents, markup
from core.calendar.clock import college_time, college_zone_label
from core.database import is_write_conflict
from core.errors import DomainError
from core.extensions import db, login_manager
from core.menu import menu
from core.plugins import hook

log = logging.getLogger(__name__)

WEEKDAY_NAMES = (lazy_gettext("понедельник"), lazy_gettext("вторник"), lazy_gettext("среда"),
                 lazy_gettext("четверг"), lazy_gettext("пятница"), lazy_gettext("суббота"),
                 lazy_gettext("воскресенье"))
WEEKDAY_SHORT = (lazy_gettext("пн"), lazy_gettext("вт"), lazy_gettext("ср"), lazy_gettext("чт"),
                 lazy_gettext("пт"), lazy_gettext("сб"), lazy_gettext("вс"))

ERROR_TITLES = {
    400: lazy_gettext("Неверный запрос"),
    401: lazy_gettext("Требуется вход в систему"),
    403: lazy_gettext("Доступ запрещён"),
    404: lazy_gettext("Страница не найдена"),
    405: lazy_gettext("Метод не поддерживается"),
    409: lazy_gettext("Конфликт"),
    413: lazy_gettext("Слишком большой запрос"),
    415: lazy_gettext("Неподдерживаемый формат данных"),
    422: lazy_gettext("Данные не прошли проверку"),
    429: lazy_gettext("Слишком много запросов"),
    500: lazy_gettext("Внутренняя ошибка сервера"),
}

ERROR_MESSAGES = {
    400: lazy_gettext("Запрос составлен неверно."),
    401: lazy_gettext("Войдите в систему, чтобы открыть эту страницу."),
    403: lazy_gettext("У вас нет прав на это действие."),
    404: lazy_gettext("Такой страницы нет или она вам недоступна."),
    405: lazy_gettext("Этот адрес не принимает такой запрос."),
    409: lazy_gettext("Данные уже изменены другим пользователем или период закрыт."),
    413: lazy_gettext("Запрос слишком большой."),
    415: lazy_gettext("Этот адрес принимает данные формы, а не JSON."),
    422: lazy_gettext("Проверьте введённые данные."),
    429: lazy_gettext("Слишком много попыток. Повторите позже."),
    500: lazy_gettext("Произошла ошибка. Мы уже знаем о ней; попробуйте ещё раз позже."),
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def is_static_endpoint(endpoint: str | None) -> bool:
    """The app's or a blueprint's static files: no session checks, browsers may cache them."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def wants_json() -> bool:
    """JSON endpoints (and clients that ask for JSON) get errors as JSON."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str | None = None, incident: str | None = None,
                   **details):
    """An error page or JSON body with a Russian message; the only way errors are answered.
    ``incident`` is the number of an unexpected error (``core.incidents``), shown to the user."""
    status = status if status in ERROR_TITLES else (500 if status >= 500 else 400)
    message = message or str(ERROR_MESSAGES[status])
    if wants_json():
        body = {"error": status, "message": message, **details}
        if incident:
            body["incident"] = incident
        return jsonify(body), status
    return render_template(
        "errors/error.html", status=status, title=str(ERROR_TITLES[status]), message=message,
        incident=incident, report_url=incidents.report_url(incident),
    ), status


def install_web(app: Flask) -> None:
    """Error handlers, security headers, the user loader and the template context."""
    markup.init_app(app)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        db.session.rollback()
        return error_response(exc.status, exc.message, **exc.details)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return error_response(400, _("Форма устарела или отправлена не с этого сайта. "
                                     "Обновите страницу и повторите."))

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        return error_response(429)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge):
        limit = request.max_content_length  # a page may accept more (materials)
        if limit and (request.content_length or 0) > limit:
            return error_response(413, _("Запрос больше %(mb)s МБ: сервер такие не принимает.",
                                         mb=format_decimal(limit / 2**20, "0.#")))
        return error_response(413)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        return error_response(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        if is_write_conflict(exc):
            # a write that lost to a concurrent one where no service turned it into a refusal
            log.warning("write conflict on %s %s: %s", request.method, request.path, exc)
            return error_response(409, _("Эти данные в тот же момент изменил другой "
                                         "пользователь. Ничего не сохранено: обновите страницу "
                                         "и повторите."))
        return error_response(500, incident=incidents.record(app, exc))

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not is_static_endpoint(request.endpoint):
            # pages, exports and JSON carry personal data: no copy on disk or in a proxy
            response.headers["Cache-Control"] = "no-store"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.template_filter("localtime")
    def _localtime(value, fmt: str = "%d.%m.%Y %H:%M") -> str:
        """A stored UTC instant in the college's time zone (config TIMEZONE)."""
        if value is None:
            return ""
        if has_request_context():
            g.ejournal_times_shown = True  # the page names the college's clock (base.html)
        return college_time(value).strftime(fmt)

    @app.template_filter("weekday_name")
    def _weekday_name(value) -> str:
        """«понедельник» … «воскресенье» of a date, in the user's language."""
        return str(WEEKDAY_NAMES[value.isoweekday() - 1])

    @app.template_filter("weekday_short")
    def _weekday_short(value) -> str:
        """«пн» … «вс» of a date, in the user's language (``strftime("%a")`` is the server's)."""
        return str(WEEKDAY_SHORT[value.isoweekday() - 1])

    @app.template_global("pair_time")
    def _pair_time(day, pair) -> str:
        """«08:30–10:00»: the time of pair ``pair`` on ``day`` from the year's bells (BTT 4.1.1),
        empty when the bells are not entered."""
        from core.calendar.mode import pair_time

        found = pair_time(day, pair) if day is not None and pair else None
        return found.label if found else ""

    @app.template_global("bells_on")
    def _bells_on(day) -> list:
        """The pairs' times on ``day`` (``PairTime``: number, label), in order; [] without bells."""
        from core.calendar.mode import mode_on

        mode = mode_on(day) if day is not None else None
        return [mode.bells_on(day)[n] for n in sorted(mode.bells_on(day))] if mode else []

    @app.template_global("short_day")
    def _short_day(day) -> str | None:
        """The title of the shortened day ``day`` (``""`` if untitled), None on a normal day."""
        from core.calendar.mode import mode_on

        mode = mode_on(day) if day is not None else None
        return mode.short_days.get(day) if mode and mode.is_short(day) else None

    @app.template_filter("plain_json")
    def _plain_json(value) -> str:
        """A stored value as readable JSON (Cyrillic as is); the template escapes it."""
        return json.dumps(value, ensure_ascii=False)

    @app.context_processor
    def _navigation():
        def nav():
            return menu([item for batch in hook().nav_items(user=current_user) for item in batch])

        def zone_label() -> str:
            g.ejournal_zone_labelled = True
            return college_zone_label()

        def zone_unlabelled() -> bool:
            """The page showed times but did not name their zone: base.html names it once."""
            return bool(g.get("ejournal_times_shown") and not g.get("ejournal_zone_labelled"))

        return {"nav_items": nav, "get_locale": get_locale, "college_zone_label": zone_label,
                "zone_unlabelled": zone_unlabelled,
                "audit_action": audit_labels.action_label,
                "audit_target": audit_labels.target_label,
                "audit_details": audit_labels.details}

    @app.context_processor
    def _policy_wording():
        """What the policy names and allows, for every page: the curator's title
        (``curator_title()``, ``curator_title(False)`` in mid-sentence) and whether the signed-in
        user may change their password (the «Пароль» link follows ``password.change``)."""
        from core import policy
        from core.people.signers import curator_title

        def may_change_password() -> bool:
            return bool(policy.check("password.change", current_user, current_user))

        return {"curator_title": curator_title, "may_change_password": may_change_password}


@login_manager.user_loader
def _load_user(session_id: str):
    """Load the user of a session; a session of an older ``session_version`` is refused."""
    from core.people.models import User

    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Войдите в систему, чтобы открыть эту страницу.")
login_manager.login_message_category = "warning"
login_manager.session_protection = "basic"
