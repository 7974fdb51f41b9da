"""The embedding model is loaded once per test session, with the network cut off while it loads."""

import socket

import pytest

from igny8.planner.clustering import embeddings


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
