"""``ejournal archive``: verify the archive, preview and run the retention purge."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext


@click.group("archive", cls=AppGroup, help="Архив журнала: проверка и сроки хранения.")
def archive_group():
    pass


@archive_group.command("verify")
@click.argument("period", required=False)
@with_appcontext
def verify_command(period):
    """Проверить файлы архива по манифесту, печати и данные базы по архиву.

    PERIOD — название периода («2025/2026, 1 семестр»), его папка («2025-2026-t1») или номер;
    без него проверяются все архивированные периоды."""
    from plugins.archive import verify

    outcomes = verify.run(period, trigger="cli")
    if not outcomes:
        click.echo("Нет архивированных периодов" + (f" «{period}»." if period else "."),
                   err=bool(period))
        sys.exit(1 if period else 0)
    failed = False
    for outcome in outcomes:
        if outcome.ok:
            click.echo(f"{outcome.title}: архив цел (файлов {outcome.files_checked}, "
                       f"записей сверено {outcome.records_checked}).")
            continue
        failed = True
        click.echo(f"{outcome.title}: расхождений {len(outcome.problems)}", err=True)
        for problem in outcome.problems:
            click.echo(f"  {problem}", err=True)
    sys.exit(1 if failed else 0)


@archive_group.command("purge")
@click.option("--run", "run_now", is_flag=True,
              help="Уничтожить то, срок хранения чего истёк (без флага — только показать).")
@with_appcontext
def purge_command(run_now):
    """Показать (или с --run провести) уничтожение по истёкшим срокам хранения."""
    from plugins.archive import purge

    due = purge.due()
    if not due:
        click.echo("Сроки хранения ни одного архивированного периода не истекли.")
        return
    for period, stage in due:
        plan = purge.plan(period, stage)
        click.echo(f"{period.title}: {purge.STAGE_TITLES[stage]} (хранились по "
                   f"{plan.kept_until:%d.%m.%Y}): файлов {len(plan.files)}, "
                   f"записей {plan.record_total}")
    if run_now:
        for act in purge.purge_due():
            click.echo(f"Составлен акт № {act.number}.")
