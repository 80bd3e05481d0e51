"""``python -m pufa``: the ``pufa`` command where only the interpreter's path is known (cron, CI)."""

import sys

from .cli import main

sys.exit(main())
