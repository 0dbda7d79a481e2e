"""The ``ejournal`` command: Flask's commands plus the core's and the plugins' (``register_cli``)."""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from core.errors import StartupError

#: the college ``--college NAME`` chose from the region's file (``core.region``)
_chosen: dict[str, str] = {}


def _create_app():
    from core import create_app

    if "college" in _chosen:
        from core.region import college

        return create_app(college(_chosen["college"]).app_config())
    return create_app()


def _choose_college(_ctx, _param, value):
    if value:
        _chosen["college"] = value
    else:  # each run of the command chooses afresh (tests run many in one process)
        _chosen.pop("college", None)


cli = FlaskGroup(create_app=_create_app, help="Электронный журнал: управление.", params=[
    click.Option(["--college"], metavar="NAME", expose_value=False, is_eager=True,
                 callback=_choose_college,
                 help="Колледж региона (EJOURNAL_REGION), для которого выполнить команду.")])


def main() -> None:
    try:
        cli.main(prog_name="ejournal", standalone_mode=True)
    except StartupError as exc:
        click.echo(f"ejournal: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
