"""The administrator's SMS page: the texts the journal sends, with their length and number of
parts (70 Cyrillic characters a part in UCS-2), and a checker for any text."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from core.people.access import permission_required
from plugins.notify_sms import services, texts

bp = Blueprint("notify_sms", __name__, url_prefix="/notify/sms", template_folder="templates")


class _Sample:
    short_name = "Константинопольская А. В."


@bp.route("/", methods=["GET", "POST"], endpoint="texts")
@permission_required("notify_sms.texts.view")
def texts_page():
    samples = [
        (_("Новая оценка (самое длинное имя и дисциплина)"),
         services.mark_text(_Sample(), "5", "МДК.01.01 Технологические процессы изготовле",
                            date(2026, 11, 25))),
        (_("Отчёт за месяц"), _("%(name)s, %(month)s: %(lines)s", name=_Sample.short_name,
                                month="11.2026",
                                lines=_("средний балл %(avg)s", avg="4,2") + "; " + _(
                                    "пропущено %(n)s ч, без уважительной причины %(m)s", n=12,
                                    m=4))),
    ]
    checked = request.form.get("text", "")[:1000] if request.method == "POST" else ""
    return render_template("notify_sms/texts.html",
                           samples=[(title, text, texts.measure(text)) for title, text in samples],
                           checked=checked, measured=texts.measure(checked) if checked else None,
                           configured=services.configured())

