"""``ejournal create-admin``: the first administrator account of a new installation."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from core.errors import DomainError


@click.command("create-admin", help="Создать учётную запись администратора ЭЖ "
                                    "(пароль выводится один раз).")
@click.argument("login")
@click.argument("last_name")
@click.argument("first_name")
@click.argument("middle_name", required=False)
@with_appcontext
def create_admin_command(login, last_name, first_name, middle_name):
    from core.extensions import db
    from core.people.accounts import create_admin

    try:
        slip = create_admin(login, last_name, first_name, middle_name)
    except DomainError as exc:
        db.session.rollback()
        click.echo(f"Ошибка: {exc.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Администратор создан: {slip.full_name}")
    click.echo(f"Логин: {slip.login}")
    click.echo(f"Одноразовый пароль: {slip.password}")
    click.echo("Пароль больше нигде не хранится: при первом входе его нужно сменить.")
