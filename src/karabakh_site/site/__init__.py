"""site/: link the model — check references, give each object its output path and URL, find
quotes, originals, facets, related documents, figures and warnings. Imports content/, text/ and
the base modules; never render/, output/ or commands/."""
