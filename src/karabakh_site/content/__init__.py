"""content/: read ``content/`` and model it — files and YAML with their lines, checked frozen
dataclasses, the content contract and its JSON Schemas, places, voice, word check, placeholders,
drafts, the map's shapes. Imports text/ and the base modules; never site/, render/, output/ or
commands/."""
