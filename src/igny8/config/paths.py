"""Where IGNY8 keeps its files. Kept free of Django imports so the CLI can use it before setup."""

import os
from pathlib import Path

# The checkout root in a source install (src/igny8/config/paths.py -> three levels up).
_SOURCE_ROOT = Path(__file__).resolve().parents[3]


def home_dir() -> Path:
    """IGNY8_HOME, or the checkout root: everything mutable lives under its var/ folder."""
    return Path(os.environ.get("IGNY8_HOME", _SOURCE_ROOT)).resolve()


def var_dir() -> Path:
    path = Path(os.environ.get("IGNY8_VAR_DIR", home_dir() / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
