"""The core's commands: ``db``, ``demo``, ``audit``."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from core import migrate


@click.group("db", cls=AppGroup, help="Миграции базы данных: ядро и каждый включённый плагин.")
def db_group():
    pass


@db_group.command("upgrade")
@click.option("--plugin", "only", help="Только история этого плагина (или core).")
@click.argument("revision", default="heads")
def db_upgrade(only, revision):
    """Применить миграции ядра и всех включённых плагинов."""
    done = migrate.upgrade(current_app._get_current_object(), only, revision)
    click.echo("Обновлено: " + ", ".join(done))


@db_group.command("downgrade")
@click.option("--plugin", "name", required=True, help="История: core или имя плагина.")
@click.argument("revision")
def db_downgrade(name, revision):
    """Откатить одну историю миграций (например, ``--plugin journal base``)."""
    migrate.downgrade(current_app._get_current_object(), name, revision)


@db_group.command("revision")
@click.option("--plugin", "name", default="core", help="История: core или имя плагина.")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Пустая ревизия без автогенерации.")
def db_revision(name, message, empty):
    """Создать ревизию миграции (автогенерация по моделям владельца)."""
    migrate.revision(current_app._get_current_object(), name, message, autogenerate=not empty)


@db_group.command("current")
def db_current():
    """Показать текущие ревизии всех историй."""
    migrate.current(current_app._get_current_object())


@click.command("demo", help="Загрузить демонстрационный колледж (в пустую базу).")
@click.option("--seed", default=2026, show_default=True)
@click.option("--force", is_flag=True, help="Загрузить, даже если в базе уже есть пользователи.")
@with_appcontext
def demo_command(seed, force):
    from core.demo import load_demo

    logins = load_demo(seed=seed, force=force)
    listing = Path(current_app.instance_path) / DEMO_LOGINS
    if logins is None:
        click.echo("В базе уже есть данные: демо не загружено (--force, чтобы загрузить).")
        return
    width = max(len(role) for role, _login, _password in logins)
    lines = [f"  {role:<{width}}  {login:<24} {password}" for role, login, password in logins]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    click.echo("Демо-колледж загружен.")
    from core.backup.runs import demo_backup

    click.echo(demo_backup())


DEMO_LOGINS = "demo-logins.txt"


def mail_note(host: str, port: int) -> str:
    """Where the journal's e-mail goes, said before serving: to the SMTP server when one answers,
    else into the queue the administrator reads (nothing is lost: the worker retries)."""
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return (f"Почта: SMTP-сервер {host}:{port} не отвечает, письма ждут в очереди и видны "
                "администратору в «Журнал доставки уведомлений» (/admin/delivery); отправятся, "
                "когда сервер появится. Адрес сервера: MAIL_SERVER и MAIL_PORT (README).")
    return f"Почта уходит на SMTP-сервер {host}:{port}."
REPO_ROOT = Path(__file__).resolve().parent.parent


@click.command("serve", help="Запустить сервер (gunicorn) и фоновый обработчик рядом с ним.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="2 на двух ядрах (DESIGN §10).")
@with_appcontext
def serve_command(host, port, workers):
    listing = Path(current_app.instance_path) / DEMO_LOGINS
    if listing.exists():
        click.echo("Учётные записи демо-колледжа (роль, логин, пароль):")
        click.echo(listing.read_text(encoding="utf-8"))
    background = []
    if "worker" in current_app.cli.commands:
        background.append(subprocess.Popen([sys.executable, "-m", "core.cli", "worker"]))
    click.echo(mail_note(current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"]))
    click.echo(f"Журнал открыт по адресу http://{host}:{port}/ (Ctrl+C — остановить)")
    try:
        subprocess.run(
            [sys.executable, "-m", "gunicorn", "--chdir", str(REPO_ROOT), "--workers", str(workers),
             "--bind", f"{host}:{port}", "--access-logfile", "-", "wsgi:app"],
            check=False,
        )
    except KeyboardInterrupt:
        pass
    finally:
        for process in background:
            process.terminate()
            process.wait(timeout=10)


@click.command("worker", help="Фоновый обработчик: рассылки, повторы, задания по расписанию.")
@click.option("--workers", default=1, show_default=True)
@with_appcontext
def worker_command(workers):
    from core.worker import run_consumer

    click.echo("Фоновый обработчик запущен (Ctrl+C — остановить).")
    run_consumer(current_app._get_current_object(), workers=workers)


@click.group("audit", cls=AppGroup, help="Журнал аудита.")
def audit_group():
    pass


@audit_group.command("verify")
@with_appcontext
def audit_verify():
    """Проверить цепочку журнала аудита, её печати и отметки вне базы."""
    from core.audit import verify
    from core.audit_anchor import anchor_path

    result = verify()
    if result.ok:
        click.echo(f"Отметок вне базы сверено: {result.anchors} (файл {anchor_path()}).")
        click.echo(f"Журнал аудита цел: проверено записей {result.checked}.")
        return
    click.echo(f"Журнал аудита повреждён: {result.problem}", err=True)
    sys.exit(1)


@audit_group.command("anchor")
@with_appcontext
def audit_anchor_command():
    """Отметить голову журнала аудита в файле отметок вне базы (AUDIT_ANCHOR_PATH)."""
    from core.audit_anchor import anchor, anchor_path

    for written in anchor():
        click.echo(f"Отмечена запись {written.entry_id} от {written.day} в файле {anchor_path()}.")
