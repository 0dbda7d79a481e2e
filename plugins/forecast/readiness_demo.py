"""The demo's ties: each specialty's demonstration exam draws on its МДК (the journals, the
exams and the course works of both years), its ВКР on the МДК and the general professional
discipline of the same field."""

from __future__ import annotations

from core.extensions import db
from plugins.forecast.readiness_models import DEMO_EXAM, THESIS, AttestationTie
from plugins.journal import api as journal

#: specialty code -> {attestation: [(discipline code, name), ...]}
DEMO_TIES = {
    "15.02.08": {
        DEMO_EXAM: [("МДК.01.01", "Технологические процессы изготовления деталей машин")],
        THESIS: [("МДК.01.01", "Технологические процессы изготовления деталей машин"),
                 ("ОП.01", "Инженерная графика")],
    },
    "09.02.07": {
        DEMO_EXAM: [("МДК.01.01", "Разработка программных модулей")],
        THESIS: [("МДК.01.01", "Разработка программных модулей"),
                 ("ОП.04", "Основы алгоритмизации и программирования")],
    },
}


def tie_demo(college) -> None:
    specialties = {s.code: s for s in college.made.get("specialties") or []}
    by_title = {(node.info.code, node.info.name): node.info.id for node in journal.disciplines()}
    for code, attestations in DEMO_TIES.items():
        specialty = specialties.get(code)
        if specialty is None:
            continue
        for attestation, disciplines in attestations.items():
            for key in disciplines:
                if key in by_title:
                    db.session.add(AttestationTie(specialty_id=specialty.id,
                                                  attestation=attestation,
                                                  discipline_id=by_title[key]))
    db.session.flush()
