"""Fixtures shared by the core's tests and every plugin's tests (see tests/fixtures.py)."""

pytest_plugins = ["tests.fixtures", "tests.concurrency", "tests.clock", "tests.browser", "tests.mail"]
