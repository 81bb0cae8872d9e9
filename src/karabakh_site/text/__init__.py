"""text/: text without a site — Markdown (markdown-it-py and the markdown-it-pyrs fast path),
mentions, EDTF dates, numerals, language tags, slugs. Imports only the base modules; never
content/, site/, render/, output/ or commands/."""
