"""The embedding model is loaded once per test session, with the network cut off while it loads;
the labelled sets' vectors are computed once per session for the tests that compare paths on them."""

import csv
import socket
from pathlib import Path

import numpy as np
import pytest

from igny8.planner.clustering import embedding_texts, embeddings

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def labelled_sets() -> list[Path]:
    found = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            if {"keyword", "group"} <= set(next(csv.reader(handle), [])):
                found.append(path)
    return found


def texts_of(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return sorted({" ".join(row["keyword"].casefold().split()) for row in csv.DictReader(handle)})


@pytest.fixture(scope="session")
def model():
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access while loading the model: {args}")

    embeddings.load_model.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        loaded = embeddings.load_model()
    return loaded


@pytest.fixture(scope="session")
def labelled_vectors(model) -> dict[str, tuple[list[str], np.ndarray]]:
    """Every labelled set's distinct keywords (sorted) and their topic texts' vectors, by file name.
    Embedding them takes most of a path comparison's time, and every comparison needs the same."""
    found = {}
    for path in labelled_sets():
        texts = texts_of(path)
        found[path.name] = (texts, embeddings.encode(texts=embedding_texts(texts)))
    return found
