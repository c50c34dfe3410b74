"""Offline tools that build files under ``inputs/`` (not part of the runtime package)."""
