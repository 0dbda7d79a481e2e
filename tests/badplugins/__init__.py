"""Broken plugins for start-up tests, each in its own module."""

from core.plugins import PluginInfo

needs_missing = PluginInfo(name="needs_missing", title="Требует отсутствующий", requires=("nothere",))
cycle_a = PluginInfo(name="cycle_a", title="Цикл А", requires=("cycle_b",))
cycle_b = PluginInfo(name="cycle_b", title="Цикл Б", requires=("cycle_a",))
needs_test = PluginInfo(name="needs_test", title="Требует тестовый", requires=("testplugin",))
misspelt = PluginInfo(name="misspelt", title="С опечаткой")
