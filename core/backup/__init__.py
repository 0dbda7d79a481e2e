"""Backups of the whole database on several media, and the restore drill (REQUIREMENTS A2).

``ejournal backup`` copies the database consistently (SQLite's online backup API, ``pg_dump``
on PostgreSQL), writes a manifest beside it and stores both with restic in every destination of
``BACKUP_DESTINATIONS``; ``ejournal backup restore --check`` restores the latest copy into a
scratch database and checks it. The worker backs up daily and alerts when a copy grows old.

- ``destinations.py``: the configured destinations; ``restic.py``: the engine, run as a program;
- ``snapshot.py``: the database copy and its manifest; ``runs.py``: a backup run, recorded;
- ``restore.py``: the drill; ``status.py``: the age of each destination's last copy, the alerts;
- ``cli.py``, ``views.py``, ``plugin.py``: the command, the administrator's page, the hooks.
"""
