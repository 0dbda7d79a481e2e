"""Verification of a period's archive (``ejournal archive verify``, the weekly job, the archive
page): every file against the manifest (SHA-256), the manifest against its seal (the audit key),
the addenda's chain and seals, and the live data of the period against the archived tables,
naming the file or the record that differs. Each run is recorded (``ArchiveVerification``).

What the retention purge removed (journal files, detailed records) is no longer compared: the act
of destruction lists it, and the files are marked purged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit_key
from core.exports import plain_cell
from core.extensions import db
from core.plugins import hook
from plugins.archive import storage as archive_storage
from plugins.archive.models import ArchiveAddendum, ArchivedPeriod
from plugins.archive.record_models import ArchiveVerification

MANIFEST_SEAL = "archive.manifest"
ADDENDUM_SEAL = "archive.addendum"
#: columns that tell a person which record a row is, besides its key
DESCRIBING = ("student", "teacher", "group", "discipline", "date", "lesson", "kind")


@dataclass
class Outcome:
    """What one verification of one period found."""

    period_id: int
    title: str
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    records_checked: int = 0
    #: the recorded ``ArchiveVerification``'s id, once recorded
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(store, path: str) -> bytes | None:
    try:
        return store.get(path)
    except archive_storage.StorageError:
        return None


def _check_manifest(period: ArchivedPeriod, store, outcome: Outcome) -> dict | None:
    """The manifest's bytes against the period's record and its seal; the parsed manifest."""
    data = _read(store, period.manifest_path)
    if data is None:
        outcome.problems.append(_("нет манифеста архива %(path)s", path=period.manifest_path))
        return None
    if _sha256(data) != period.manifest_sha256:
        outcome.problems.append(_("манифест %(path)s изменён: SHA-256 не совпадает с записанным "
                                  "при закрытии периода", path=period.manifest_path))
    seal_file = _read(store, f"{period.manifest_path}.seal")
    seal = (seal_file or b"").decode("ascii", "replace").strip()
    if not audit_key.matches(data, period.seal, MANIFEST_SEAL) or seal != period.seal:
        outcome.problems.append(_("печать манифеста %(path)s не сходится с ключом журнала: "
                                  "манифест подделан или запечатан другим ключом",
                                  path=period.manifest_path))
    try:
        return json.loads(data)
    except ValueError:
        outcome.problems.append(_("манифест %(path)s не читается как JSON",
                                  path=period.manifest_path))
        return None


def _check_files(period: ArchivedPeriod, manifest: dict, store, outcome: Outcome) -> None:
    rows = {file.path: file for file in period.files}
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    for path in sorted(set(rows) - set(listed) - _addendum_paths(period)):
        outcome.problems.append(_("файл %(path)s записан в базе, но не указан в манифесте",
                                  path=path))
    for path, entry in listed.items():
        row = rows.get(path)
        if row is None:
            outcome.problems.append(_("файл %(path)s указан в манифесте, но не записан в базе",
                                      path=path))
        elif row.sha256 != entry.get("sha256"):
            outcome.problems.append(_("файл %(path)s: SHA-256 в базе не совпадает с манифестом",
                                      path=path))
        if row is not None and row.purged_at is not None:
            continue  # removed by the retention purge, listed in its act
        data = _read(store, path)
        outcome.files_checked += 1
        if data is None:
            outcome.problems.append(_("файл архива %(path)s отсутствует", path=path))
        elif _sha256(data) != entry.get("sha256"):
            outcome.problems.append(_("файл архива %(path)s изменён: SHA-256 не совпадает с "
                                      "манифестом", path=path))


def _addendum_paths(period: ArchivedPeriod) -> set[str]:
    """The files that come after the manifest, so it cannot list them: itself, the addenda."""
    return {file.path for file in period.files if file.kind in ("manifest", "addendum")}


def _check_addenda(period: ArchivedPeriod, store, outcome: Outcome) -> list[dict]:
    """Each addendum's file, seal and place in the chain; the parsed addenda in order."""
    addenda = db.session.scalars(select(ArchiveAddendum).where(
        ArchiveAddendum.period_id == period.id).order_by(ArchiveAddendum.number)).all()
    previous, parsed = period.manifest_sha256, []
    for addendum in addenda:
        path = addendum.file.path
        if addendum.file.purged_at is not None:  # destroyed with the statements, in their act
            previous = addendum.file.sha256
            continue
        data = _read(store, path)
        outcome.files_checked += 1
        if data is None:
            outcome.problems.append(_("дополнение %(path)s отсутствует", path=path))
            continue
        if _sha256(data) != addendum.file.sha256:
            outcome.problems.append(_("дополнение %(path)s изменено: SHA-256 не совпадает",
                                      path=path))
        if not audit_key.matches(data, addendum.seal, ADDENDUM_SEAL):
            outcome.problems.append(_("печать дополнения %(path)s не сходится с ключом журнала",
                                      path=path))
        if addendum.previous_sha256 != previous:
            outcome.problems.append(_("дополнение %(path)s не продолжает цепочку дополнений "
                                      "(предыдущее удалено или изменено)", path=path))
        previous = _sha256(data)
        try:
            parsed.append(json.loads(data))
        except ValueError:
            outcome.problems.append(_("дополнение %(path)s не читается как JSON", path=path))
    return parsed


# --- the live data against the archived tables ----------------------------------------------------

def _parse_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data.decode("utf-8-sig")
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = [[plain_cell(cell) for cell in row] for row in csv.reader(io.StringIO(text),
                                                                      delimiter=delimiter)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _describe(columns: list[str], row: list[str], skip: str,
              lesson_days: dict[str, str] | None = None) -> str:
    """Which record a row is, for a person: its student, lesson, date… and, for a record of a
    lesson, the lesson's day (from the archived lessons)."""
    values = dict(zip(columns, row, strict=False))
    parts = [f"{name} {value}" for name, value in values.items()
             if name not in (columns[0], skip) and value and not name.endswith("_at")
             and not (name.endswith("_id") and name[:-3] in values)
             and any(word in name for word in DESCRIBING)][:4]
    day = (lesson_days or {}).get(values.get("lesson_id", ""))
    if day and "date" not in values:
        parts.append(_("занятие от %(day)s", day=day))
    return f" ({', '.join(parts)})" if parts else ""


#: the fields of an addendum's change that name the record it corrected
CHANGE_KEYS = ("lesson_id", "student_id")


def _corrections(addenda: list[dict]) -> list[dict[str, str]]:
    """What each addendum corrected, as the columns naming the record («lesson_id»,
    «student_id») and their values: a live record matching one differs from the archive by
    right (the addendum records the correction)."""
    found = []
    for addendum in addenda:
        change = addendum.get("change")
        if not isinstance(change, dict) or change.get("lesson_id") is None:
            continue
        found.append({key: cell_text(change[key]) for key in CHANGE_KEYS
                      if change.get(key) is not None})
    return found


def _explained(columns: list[str], row: list[str], corrections: list[dict[str, str]]) -> bool:
    values = dict(zip(columns, row, strict=False))
    return any(all(key in values for key in change) and
               all(values[key] == value for key, value in change.items())
               for change in corrections)


def cell_text(value: Any) -> str:
    """A live value as its archived CSV cell reads (docs/archive.md: ISO dates and instants)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def compare_table(path: str, archived: bytes, columns: tuple[str, ...], rows: list[tuple],
                  corrections: list[dict[str, str]],
                  lesson_days: dict[str, str] | None = None) -> tuple[list[str], int]:
    """The differences between the archived CSV of ``table`` and its live ``rows`` now, one
    sentence a record (keyed by the first column); and how many records were compared."""
    old_columns, old_rows = _parse_csv(archived)
    live_columns = list(columns)
    if old_columns != live_columns:
        return [_("%(path)s: столбцы в архиве (%(old)s) и в базе (%(new)s) различаются",
                  path=path, old=", ".join(old_columns), new=", ".join(live_columns))], 0
    key = live_columns[0] if live_columns else "id"
    old = {row[0]: row for row in old_rows if row}
    new = {cell_text(row[0]): [cell_text(value) for value in row] for row in rows if row}
    problems: list[str] = []
    for record in sorted(old.keys() - new.keys()):
        if _explained(live_columns, old[record], corrections):
            continue
        problems.append(_("%(path)s: запись %(key)s=%(id)s%(what)s есть в архиве, но удалена "
                          "из базы", path=path, key=key, id=record,
                          what=_describe(live_columns, old[record], "", lesson_days)))
    for record in sorted(new.keys() - old.keys()):
        if _explained(live_columns, new[record], corrections):
            continue
        problems.append(_("%(path)s: запись %(key)s=%(id)s%(what)s есть в базе, но её нет в "
                          "архиве", path=path, key=key, id=record,
                          what=_describe(live_columns, new[record], "", lesson_days)))
    for record in sorted(old.keys() & new.keys()):
        if old[record] != new[record] and _explained(live_columns, new[record], corrections):
            continue
        for index, column in enumerate(live_columns[1:], 1):
            was = old[record][index] if index < len(old[record]) else ""
            now = new[record][index]
            if was == now:
                continue
            problems.append(_("%(path)s: запись %(key)s=%(id)s%(what)s: «%(column)s» в архиве "
                              "«%(was)s», в базе «%(now)s»", path=path, key=key, id=record,
                              what=_describe(live_columns, old[record], column, lesson_days),
                              column=column,
                              was=was, now=now))
    return problems, len(old)


def table_of(path: str) -> str:
    """The table a data file holds: ``2025-2026/data/marks.csv`` → ``marks``."""
    return PurePosixPath(path).stem


def live_tables(period: ArchivedPeriod) -> dict[str, Any]:
    """The period's tables as the plugins give them now (``archive_records``), by name."""
    return {table.name: table
            for batch in hook().archive_records(start=period.starts_on, end=period.ends_on)
            for table in batch or ()}


def _lesson_days(files: dict[str, bytes | None]) -> dict[str, str]:
    """lesson_id → its day, from the archived lessons table (to name a mark's lesson)."""
    for path, data in files.items():
        if table_of(path) == "lessons" and data:
            columns, rows = _parse_csv(data)
            if "lesson_id" in columns and "date" in columns:
                key, day = columns.index("lesson_id"), columns.index("date")
                return {row[key]: row[day] for row in rows if len(row) > max(key, day)}
    return {}


def _check_live(period: ArchivedPeriod, store, addenda: list[dict], outcome: Outcome) -> None:
    kept = [file for file in period.files if file.kind == "data_csv" and file.purged_at is None]
    if not kept:
        return  # nothing left to compare (or all of it destroyed by the retention purge)
    corrections = _corrections(addenda)
    live = live_tables(period)
    archived_files = {file.path: _read(store, file.path) for file in kept}
    lesson_days = _lesson_days(archived_files)
    for file in kept:
        name = table_of(file.path)
        archived = archived_files[file.path]
        if archived is None:
            continue  # already named by the file check
        current = live.get(name)
        if current is None:
            outcome.problems.append(_("%(path)s: таблицу «%(table)s» больше никто не выдаёт "
                                      "(её плагин отключён?)", path=file.path, table=name))
            continue
        problems, compared = compare_table(file.path, archived, current.columns, current.rows,
                                           corrections, lesson_days)
        outcome.problems.extend(problems)
        outcome.records_checked += compared


# --- runs -------------------------------------------------------------------------------------------

def verify_period(period: ArchivedPeriod, live: bool = True) -> Outcome:
    """Check one archived period; nothing is written."""
    store = archive_storage.storage()
    outcome = Outcome(period.id, period.title)
    manifest = _check_manifest(period, store, outcome)
    if manifest is not None:
        _check_files(period, manifest, store, outcome)
    addenda = _check_addenda(period, store, outcome)
    if live:
        _check_live(period, store, addenda, outcome)
    return outcome


def periods(title_or_slug: str | None = None) -> list[ArchivedPeriod]:
    """The archived periods to verify: all, or the one named by its title («2025/2026, 1
    семестр»), its folder («2025-2026-t1») or its id."""
    query = select(ArchivedPeriod).where(ArchivedPeriod.state == "archived").order_by(
        ArchivedPeriod.starts_on)
    found = db.session.scalars(query).all()
    if not title_or_slug:
        return list(found)
    wanted = title_or_slug.strip()
    return [p for p in found if wanted in (p.title, str(p.id), p.manifest_path.split("/")[0])]


def run(period_name: str | None = None, trigger: str = "cli", actor: Any = None
        ) -> list[Outcome]:
    """Verify the named period (or all), record each run, commit; the outcomes."""
    outcomes = []
    for period in periods(period_name):
        outcome = verify_period(period)
        row = ArchiveVerification(
            period_id=period.id, trigger=trigger, actor_id=getattr(actor, "id", None),
            ok=outcome.ok, files_checked=outcome.files_checked,
            records_checked=outcome.records_checked, problems=outcome.problems)
        db.session.add(row)
        db.session.flush()
        outcome.run_id = row.id
        outcomes.append(outcome)
    db.session.commit()
    return outcomes


def last_runs(period_ids) -> dict[int, ArchiveVerification]:
    """The latest verification of each of ``period_ids``."""
    latest: dict[int, ArchiveVerification] = {}
    rows = db.session.scalars(select(ArchiveVerification).where(
        ArchiveVerification.period_id.in_(list(period_ids)))
        .order_by(ArchiveVerification.id))
    for row in rows:
        latest[row.period_id] = row
    return latest
