"""The bf16 path (PyTorch autocast, the same weights) against fp32: close vectors, the same clusters on
a small set, and a text's vector independent of what it is embedded with; the backend the CPU picks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from igny8.planner.clustering import backends, bf16_embeddings, cluster_embeddings, embeddings, tokens

from .test_onnx_embeddings import KEYWORDS

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def test_close_to_fp32_and_same_clusters(model):
    texts = sorted(KEYWORDS)
    exact = embeddings.encode(texts=texts)
    bf16 = bf16_embeddings.encode(texts=texts)
    assert bf16.shape == (len(texts), embeddings.DIMENSIONS) and bf16.dtype == np.float32
    assert np.allclose(np.linalg.norm(bf16, axis=1), 1.0, atol=1e-6)
    difference = float(np.abs(bf16 - exact).max())
    assert 1e-4 < difference < 5e-3  # bf16 really ran (fp32 paths agree to 1e-7), and stayed close
    assert float((bf16 * exact).sum(axis=1).min()) > 0.9999
    a = cluster_embeddings(keywords=texts, vectors=exact, threshold=0.7)
    b = cluster_embeddings(keywords=texts, vectors=bf16, threshold=0.7)
    assert [c.members for c in a.clusters] == [c.members for c in b.clusters]
    assert a.outliers == b.outliers
    # A two-member cluster's members are equally similar to its centroid (exactly, in real numbers),
    # so its name falls to the last bits of the vectors, which differ with the CPU's bf16 support
    # (native on AVX512-BF16, emulated elsewhere): either member may name it. Larger clusters keep
    # their names.
    assert [c.name for c in a.clusters if len(c.members) > 2] == [
        c.name for c in b.clusters if len(c.members) > 2
    ]
    assert [texts[a.clusters[4].members[0]], texts[a.clusters[4].members[1]]] == [
        "mens running shoes",
        "running shoes for men",
    ]
    for cluster in (*a.clusters, *b.clusters):
        if len(cluster.members) == 2:
            assert cluster.name in {texts[i] for i in cluster.members}


def test_a_vector_does_not_depend_on_its_companions(model):
    texts = sorted(KEYWORDS)
    alone = bf16_embeddings.encode(texts=texts)
    crowd = ["a much longer text about something else entirely, to widen any padded batch"] * 5
    assert np.array_equal(bf16_embeddings.encode(texts=[*crowd, *texts[::-1]])[:4:-1], alone)
    assert np.array_equal(bf16_embeddings.encode(texts=texts, batch_size=1), alone)
    assert bf16_embeddings.encode(texts=[]).shape == (0, 384)


def test_same_length_batches_pad_nothing():
    texts = ["dog food", "espresso machine", "cat", "best dog food", "dog", "tea"]
    found = [
        (batch.rows, batch.input_ids.shape, int(batch.attention_mask.min()))
        for batch in tokens.same_length_batches(texts=texts, batch_size=2)
    ]
    # [CLS] + word pieces + [SEP]: "cat", "dog", "tea" 3 tokens, "dog food" 4, "best dog food" 5,
    # "es ##press ##o machine" 6
    assert found == [
        ([2, 4], (2, 3), 1),
        ([5], (1, 3), 1),
        ([0], (1, 4), 1),
        ([3], (1, 5), 1),
        ([1], (1, 6), 1),
    ]
    # What does not fill a batch goes in powers of two: a few shapes per length, whatever the count.
    sizes = [len(batch.rows) for batch in tokens.same_length_batches(texts=["dog"] * 300, batch_size=128)]
    assert sizes == [128, 128, 32, 8, 4]


@pytest.mark.parametrize(("preset", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_torch_waits_passively_unless_told(preset, expected):
    """Importing embeddings (which every path to torch does first) sets it; an operator's value stays."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env["PYTHONPATH"] = str(Path(embeddings.__file__).parents[3])  # src/, as pytest's pythonpath
    if preset:
        env["OMP_WAIT_POLICY"] = preset
    code = "import os, igny8.planner.clustering.embeddings; print(os.environ['OMP_WAIT_POLICY'])"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout == f"{expected}\n"


def test_onnx_is_the_default_and_bf16_is_chosen_by_name(tmp_path, monkeypatch, caplog):
    with_bf16, without = tmp_path / "zen4", tmp_path / "older"
    with_bf16.write_text("flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n")
    without.write_text("flags\t\t: fpu sse2 avx2 avx512f avx512_vnni\n")
    assert backends.native_bf16(cpuinfo=with_bf16) is True
    assert backends.native_bf16(cpuinfo=without) is False
    assert backends.native_bf16(cpuinfo=tmp_path / "absent") is False
    monkeypatch.delenv("IGNY8_EMBEDDINGS", raising=False)
    for native in (True, False):  # the default does not depend on the CPU: the same vectors everywhere
        monkeypatch.setattr(backends, "native_bf16", lambda native=native: native)
        assert backends.active_encoder()[1] == "all-MiniLM-L6-v2/onnx"
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "torch-bf16")
    assert backends.active_encoder() == (bf16_embeddings.encode, "all-MiniLM-L6-v2/torch-bf16")
    assert caplog.messages == [
        "IGNY8_EMBEDDINGS=torch-bf16 on a CPU without bf16 instructions is slower than onnx."
    ]
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "gpu")
    with pytest.raises(ValueError, match=re.escape("one of torch, torch-bf16, onnx, onnx-int8, not 'gpu'.")):
        backends.active_encoder()
