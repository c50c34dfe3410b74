"""Run the ``energy`` command line as ``python -m energy``."""

import sys

from energy.cli import main

sys.exit(main())
