"""The ``ejournal`` command: Flask's commands plus the core's and the plugins' (``register_cli``)."""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from core.errors import StartupError


def _create_app():
    from core import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="Электронный журнал: управление.")


def main() -> None:
    try:
        cli.main(prog_name="ejournal", standalone_mode=True)
    except StartupError as exc:
        click.echo(f"ejournal: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
