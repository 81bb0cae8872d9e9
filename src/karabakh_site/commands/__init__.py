"""commands/: what a user runs — parse arguments and sequence the stages (build, check, serve,
new, import, diff, schema). The top of the pipeline: imports output/, render/, site/, content/,
text/ and the base modules; no stage imports it (``python -m karabakh_site`` runs its cli)."""
