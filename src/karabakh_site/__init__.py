"""karabakh-site: a static site generator for a documentary archive."""

__version__ = "0.1.0"
