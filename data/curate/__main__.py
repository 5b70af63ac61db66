"""``python -m data.curate``: regenerate the seeds (see the package docstring)."""

import sys

from data.curate.run import main

sys.exit(main())
