"""Hooks of the broken plugins: one implementation with a misspelt hook name."""

from core.plugins import hookimpl


@hookimpl
def nav_itemz(user):  # misspelt on purpose: start-up must refuse it
    return []
