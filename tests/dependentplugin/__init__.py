"""A test-only plugin that requires ``testplugin``: for ordering tests."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(name="dependent", title="Зависимый плагин", requires=("testplugin",))
