"""render/: turn the linked site into pages — the page plan, the theme and its Jinja templates,
charts, maps, citations, data files, interface strings. Imports site/, content/, text/ and the
base modules; never output/ or commands/."""
