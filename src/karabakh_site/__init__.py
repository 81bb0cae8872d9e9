"""karabakh-site: a static site generator for a documentary archive.

The package's folders are the pipeline's stages, top to bottom: commands/, output/, render/,
site/, content/, text/; the base modules beside this file (errors, cache, parallel, progress)
serve them all. A module imports only its own stage and the ones below it
(tests/test_architecture.py).
"""

__version__ = "0.1.0"
