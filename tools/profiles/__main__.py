"""``python -m tools.profiles``: regenerate inputs/profiles and inputs/weather."""

from .make import main

main()
