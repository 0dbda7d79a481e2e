"""``ejournal backup`` (a copy now), ``backup status``, ``backup restore --check``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

from core.backup.destinations import BackupConfigError
from core.backup.models import OK
from core.backup.status import size_text as _size


@click.group("backup", cls=AppGroup, invoke_without_command=True,
             help="Резервные копии базы: сделать копию во все места хранения (без подкоманды), "
                  "состояние, проверка восстановления.")
@click.pass_context
@with_appcontext
def backup_group(ctx):
    if ctx.invoked_subcommand is not None:
        return
    from core.backup.runs import run_backup

    try:
        rows = run_backup("cli")
    except BackupConfigError as exc:
        click.echo(f"Резервная копия не сделана: {exc}", err=True)
        sys.exit(2)
    for row in rows:
        if row.status == OK:
            click.echo(f"{row.destination}: сохранено, снимок {row.snapshot_id}, "
                       f"{_size(row.size_bytes)} (добавлено {_size(row.added_bytes)}), "
                       f"{row.duration_ms / 1000:.1f} с")
        else:
            click.echo(f"{row.destination}: ОШИБКА: {row.error}", err=True)
    if any(row.status != OK for row in rows):
        sys.exit(1)


@backup_group.command("status")
@with_appcontext
def backup_status():
    """Последняя удачная копия каждого места хранения и предупреждения."""
    from core.backup.status import alert_text, states

    for state in states():
        when = (state.last_success.finished_at.isoformat(timespec="seconds")
                if state.last_success else "никогда")
        click.echo(f"{state.name} ({state.repository}): последняя удачная копия — {when}")
    alerts = alert_text()
    for line in alerts:
        click.echo(f"Внимание: {line}", err=True)
    if alerts:
        sys.exit(1)


@backup_group.command("restore")
@click.option("--check", "check", is_flag=True,
              help="Восстановить последнюю копию во временную базу и проверить её.")
@click.option("--destination", "destination", default=None,
              help="Место хранения (по умолчанию первое в BACKUP_DESTINATIONS).")
@with_appcontext
def backup_restore(check, destination):
    """Проверка восстановления (учение): рабочая база не затрагивается."""
    from core.backup.restore import restore_check

    if not check:
        click.echo("Восстановление поверх рабочей базы делается вручную (README, раздел "
                   "«Резервные копии и восстановление»); здесь — только проверка: --check.",
                   err=True)
        sys.exit(2)
    try:
        report = restore_check(destination)
    except BackupConfigError as exc:
        click.echo(f"Проверка не выполнена: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Проверка восстановления: место «{report.destination}», снимок "
               f"{report.snapshot or '—'}, копия от {report.created_at or '—'}")
    for item in report.checks:
        mark = "пропущено" if item.skipped else ("ok" if item.ok else "ОШИБКА")
        click.echo(f"  [{mark}] {item.title}: {item.detail}")
    click.echo("Итог: копия восстанавливается и цела." if report.ok
               else "Итог: проверка НЕ пройдена.")
    if not report.ok:
        sys.exit(1)
