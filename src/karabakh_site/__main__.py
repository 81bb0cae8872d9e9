"""Allow ``python -m karabakh_site``."""

import sys

from karabakh_site.commands.cli import main

sys.exit(main())
