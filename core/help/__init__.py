"""Built-in help: pages per role kept as Markdown files (``core.help.pages``), a «?» on every
page that opens the help for it, and a search over them (``core.help.views``)."""
