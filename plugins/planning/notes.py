"""The notes of the КТП in the list of journals: the plan's state, its lag."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from plugins.journal import api as journal
from plugins.planning.models import APPROVED, RETURNED, STATES, SUBMITTED
from plugins.planning.progress import lag_of_loads

TONES = {APPROVED: "success", SUBMITTED: "info", RETURNED: "warning"}


def notes_of(loads: list[journal.LoadInfo], today: date) -> dict[int, list[journal.LoadNote]]:
    lags = lag_of_loads(loads, today)
    notes: dict[int, list[journal.LoadNote]] = {}
    for load in loads:
        lag = lags[load.id]
        link = {"endpoint": "planning.plan", "values": {"load_id": load.id}}
        if lag.state is None:
            items = [journal.LoadNote(_("КТП нет"), "secondary", **link)]
        else:
            items = [journal.LoadNote(_("КТП: %(state)s", state=str(STATES[lag.state]).lower()),
                                      TONES.get(lag.state, "secondary"), **link)]
            if lag.lag_hours:
                items.append(journal.LoadNote(_("отставание %(n)s ч", n=lag.lag_hours),
                                              "danger", **link))
        notes[load.id] = items
    return notes
