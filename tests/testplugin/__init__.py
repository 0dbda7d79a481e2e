"""A plugin used only by the tests: it implements every hook, so the machinery is tested alone."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(name="testplugin", title="Тестовый плагин", version="9.9.9")
