"""The control report «Обращения без ответа в срок» (REQUIREMENTS §5, BTT 3.8): families'
messages not answered by their deadline, for the deputy director. Offered only where the policy
sets a term (``messaging.answer_days``): without one nothing can be late."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_day
from core.people.models import short_names
from core.people.roles import ADMINISTRATION
from core.plugins.types import ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.messaging import answers


def providers() -> list[ReportProvider]:
    if answers.answer_days() <= 0:
        return []
    return [ReportProvider("messaging.late_answers", _l("Обращения без ответа в срок"),
                           "control", ("period",), frozenset(ADMINISTRATION), late_answers,
                           description=_l("Сообщения родителей и обучающихся, на которые не "
                                          "ответили в срок политики колледжа."), order=60)]


def late_answers(query: ReportQuery) -> ReportResult:
    found = answers.late(query.start, query.end)
    authors = short_names(row.author_id for row in found)
    answerers = short_names(row.answered_by_id for row in found)
    staff = answers.addressees({row.thread_id: row.author_id for row in found})
    rows = []
    for number, row in enumerate(found, 1):
        if row.answered_at is None:
            answer = _("нет ответа")
        elif row.answer_kind == "not_needed":
            answer = _("%(date)s, без ответа (не требуется): %(who)s",
                       date=college_day(row.answered_at).strftime("%d.%m.%Y"),
                       who=answerers.get(row.answered_by_id, ""))
        else:
            answer = _("%(date)s: %(who)s",
                       date=college_day(row.answered_at).strftime("%d.%m.%Y"),
                       who=answerers.get(row.answered_by_id, ""))
        rows.append([number, college_day(row.received_at).strftime("%d.%m.%Y"),
                     authors.get(row.author_id, ""), staff.get(row.thread_id, ""), row.subject,
                     row.due_on.strftime("%d.%m.%Y"), answer, row.days_late])
    lines = [query.period_line,
             _("Срок ответа — %(days)s календарных дн. со дня после получения (политика "
               "колледжа).", days=answers.answer_days())]
    if not rows:
        lines.append(_("Все обращения за период получили ответ в срок."))
    return ReportResult(_("Обращения без ответа в срок"), lines=lines, tables=[ReportTable(
        _("Обращения, на которые не ответили в срок"),
        [_("№"), _("Получено"), _("От кого"), _("Кому"), _("Тема"), _("Срок ответа"),
         _("Ответ"), _("Просрочено, дн.")], rows, label_column=2)] if rows else [])
