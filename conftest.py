"""Loaded before Django starts: the test session keeps its own var/ (database, broker, keys)."""

import os
from pathlib import Path

os.environ.setdefault("IGNY8_VAR_DIR", str(Path(__file__).resolve().parent / "var" / "test"))
