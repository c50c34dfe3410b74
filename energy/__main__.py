import sys

from energy.cli import main

sys.exit(main())
