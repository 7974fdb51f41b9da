"""Clustering at scale, the old path beside the new, end to end (model load + embed + cluster), with
peak RSS; then adding 1,000 keywords to the clustered site and clustering again (incremental).

- old: PyTorch embeddings of every keyword, every run (what the app did before the table).
- new: the configured backend (IGNY8_EMBEDDINGS; backends.default_backend()) through the embedding
  table (planner.embedding_cache, a fresh SQLite database here): a keyword is embedded once, ever;
  the incremental run embeds the 1,000 new keywords only and reads the existing clusters' samples.

Both embed what the app embeds (each keyword's topic text, clustering.embedding_texts). Stages:
model load, embed (encoder and table time apart), graph and cluster (split by the clustering's
progress callback); each child prints its CPU time and the load average, since wall times on a
shared 2-core machine depend on what else runs.

Each (size, path) runs in its own child process so its peak RSS is its own (ru_maxrss never goes
down). The incremental step runs in the same child after the full run (as on a real site): its
time is its own, its RSS is the child's peak. The ONNX export (first use only, then kept in
IGNY8_VAR_DIR/models/) is timed as its own stage when it happens. Beside each size it prints what
the reference's method (an LLM call per 20 keywords) would need for the same input.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_scale.py                 # 10k and 100k, both paths
    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_scale.py 10000 --new     # one size, one path
    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_scale.py --agreement     # each backend vs PyTorch

Targets (2 cores): 100k <= 60 s, peak RSS <= 2 GB; +1k on a clustered 100k site <= 10 s.
"""

import csv
import hashlib
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from igny8.planner.clustering import (
    backends,
    cluster_embeddings,
    embedding_texts,
    embeddings,
)

INCREMENT = 1_000
SAMPLE = 3  # keywords per existing cluster that represent it (cluster_methods.EXISTING_SAMPLE)
DATA = Path(__file__).parent / "data"

# --- the reference's method, priced -------------------------------------------------------------
KEYWORDS_PER_CALL = 20  # the reference sends at most 20 keywords per LLM call
PROMPT_TOKENS_PER_CALL = 800  # assumed: clustering instructions + JSON output schema, sent every call
FORMAT_TOKENS_PER_KEYWORD = 2  # assumed: quotes, comma/newline around each keyword in the list
OUTPUT_TOKENS_PER_CALL = 150  # assumed: cluster names, descriptions and JSON keys (about 4 clusters)
INPUT_USD_PER_M = 0.15  # gpt-4o-mini
OUTPUT_USD_PER_M = 0.60


def reference_cost(keywords: list[str]) -> str:
    """Calls, tokens and dollars for the 20-per-call LLM method. Tokens per keyword = characters / 4
    (OpenAI's rule of thumb for English) + formatting; the answer echoes every keyword once."""
    n = len(keywords)
    per_keyword = sum(len(k) for k in keywords) / n / 4 + FORMAT_TOKENS_PER_KEYWORD
    calls = math.ceil(n / KEYWORDS_PER_CALL)
    tokens_in = calls * PROMPT_TOKENS_PER_CALL + n * per_keyword
    tokens_out = calls * OUTPUT_TOKENS_PER_CALL + n * per_keyword
    usd = tokens_in * INPUT_USD_PER_M / 1e6 + tokens_out * OUTPUT_USD_PER_M / 1e6
    return (
        f"  reference (LLM, {KEYWORDS_PER_CALL}/call): {calls:,} calls, {tokens_in:,.0f} input + "
        f"{tokens_out:,.0f} output tokens, ${usd:,.2f}\n"
        f"    formula: calls = ceil(n / {KEYWORDS_PER_CALL}); "
        f"t = mean(chars)/4 + {FORMAT_TOKENS_PER_KEYWORD} = {per_keyword:.2f} tokens/keyword;\n"
        f"             input = calls x {PROMPT_TOKENS_PER_CALL} + n x t; "
        f"output = calls x {OUTPUT_TOKENS_PER_CALL} + n x t;\n"
        f"             $ = input x ${INPUT_USD_PER_M}/1M + output x ${OUTPUT_USD_PER_M}/1M (gpt-4o-mini)\n"
        f"    and its clusters differ between runs and never span two calls; ours are identical every run."
    )


# --- a keyword list shaped like a niche research export ------------------------------------------
# One "|"-separated string per list reads like the export it imitates; hence the noqa.
NOUNS = (  # noqa: SIM905
    "running shoes|hiking boots|rain jacket|backpack|sleeping bag|tent|water bottle|yoga mat|dumbbells|"
    "treadmill|exercise bike|protein powder|coffee grinder|espresso machine|french press|kettle|blender|"
    "air fryer|rice cooker|stand mixer|chef knife|cutting board|cast iron skillet|dutch oven|toaster|"
    "vacuum cleaner|robot vacuum|air purifier|humidifier|dehumidifier|space heater|ceiling fan|"
    "mattress|pillow|duvet|office chair|standing desk|monitor|keyboard|mouse|webcam|microphone|"
    "headphones|earbuds|bluetooth speaker|smart watch|fitness tracker|tablet|laptop|phone case|"
    "power bank|usb c charger|router|security camera|video doorbell|smart lock|lawn mower|leaf blower|"
    "pressure washer|garden hose|drill|circular saw|tool box|car seat|stroller|baby monitor|crib|"
    "dog bed|dog harness|cat litter|cat tree|fish tank|bird feeder|sunglasses|wallet|watch|umbrella"
).split("|")
KINDS = (  # noqa: SIM905
    "|cheap |wireless |portable |electric |waterproof |lightweight |compact |heavy duty |smart |"
).split("|")
PREFIXES = (  # noqa: SIM905
    "best |top rated |cheap |buy |used |affordable |how to clean |how to choose |how to fix |where to buy |"
    "what is the best |is it worth buying ||"
).split("|")
SUFFIXES = (  # noqa: SIM905
    "| for women| for men| for kids| for beginners| near me| 2025| under 50| under 100| under 200| reviews|"
    "| on sale| for small spaces| for travel| for apartments| brands| vs amazon basics| deals| for seniors|"
    "| for home| for professionals| that last| made in usa| with warranty| comparison"
).split("|")


def keyword_set(size: int) -> list[str]:
    """`size` distinct keywords: every prefix x kind x noun x suffix phrase, the first `size` by
    SHA-256 (a stable pseudo-random pick; no seed involved)."""
    phrases = {
        " ".join(f"{p}{k}{n}{s}".split())
        for n in NOUNS
        for k in KINDS
        for p in PREFIXES
        for s in SUFFIXES
        if not (p.startswith("how to") and s.strip().startswith(("under", "on sale", "deals", "near me")))
    }
    if len(phrases) < size:
        raise ValueError(f"only {len(phrases)} distinct phrases for {size} keywords")
    return sorted(phrases, key=lambda t: hashlib.sha256(t.encode()).digest())[:size]


# --- the two paths ----------------------------------------------------------------------------------
def volume_of(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:2]) % 5000


class Old:
    name = "old (PyTorch, every keyword embedded every run)"

    def __init__(self):
        self.embedded = 0
        self.encoder_seconds = 0.0

    def load(self) -> dict[str, float]:
        start = time.perf_counter()
        embeddings.load_model()
        return {"model load": time.perf_counter() - start}

    def vectors(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        self.embedded = len(texts)
        vectors = embeddings.encode(texts=texts)
        self.encoder_seconds = time.perf_counter() - start
        return vectors


class New:
    def __init__(self):
        from _setup import django_with_fresh_database

        django_with_fresh_database()
        from igny8.planner import embedding_cache
        from igny8.planner.clustering import onnx_embeddings
        from igny8.planner.models import KeywordEmbedding

        KeywordEmbedding.objects.all().delete()  # every size starts with nothing stored

        self.cache, self.onnx = embedding_cache, onnx_embeddings
        self.backend = backends.backend()
        self.name = f"new ({self.backend}, embedding table)"
        self.embedded = 0
        self.encoder_seconds = 0.0

    def load(self) -> dict[str, float]:
        seconds = {}
        if self.backend.startswith("onnx"):
            quantized = self.backend == "onnx-int8"
            target = self.onnx.default_directory() / (
                self.onnx.INT8_FILE if quantized else self.onnx.FP32_FILE
            )
            if not target.exists():
                start = time.perf_counter()
                self.onnx.export(quantized=quantized)
                seconds["ONNX export (first use only)"] = time.perf_counter() - start
        start = time.perf_counter()
        encoder, _ = backends.active_encoder()
        encoder(texts=["warm up"])
        seconds["model load"] = time.perf_counter() - start
        return seconds

    def vectors(self, texts: list[str]) -> np.ndarray:
        encode, model_name = backends.active_encoder()
        self.encoder_seconds = 0.0

        def timed(**kwargs) -> np.ndarray:
            start = time.perf_counter()
            vectors = encode(**kwargs)
            self.encoder_seconds += time.perf_counter() - start
            return vectors

        def progress(done: int, total: int) -> None:
            self.embedded = total

        return self.cache.vectors_for(texts=texts, encoder=timed, model_name=model_name, progress=progress)


class StageClock:
    """Splits clustering into the pair comparison (the graph) and what follows, from its progress."""

    def __init__(self):
        self.start = self.graph_done = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "clusters" and done == 0:
            self.graph_done = time.perf_counter()

    def seconds(self) -> dict[str, float]:
        end = time.perf_counter()
        return {"graph": self.graph_done - self.start, "cluster": end - self.graph_done}


def samples_of(clustering, texts: list[str]) -> dict[int, list[str]]:
    """The SAMPLE biggest keywords of each cluster: what a re-clustering run compares new groups with."""
    return {
        n: sorted((texts[i] for i in cluster.members), key=lambda t: (-volume_of(t), t))[:SAMPLE]
        for n, cluster in enumerate(clustering.clusters)
    }


def incremental(path, clustering, texts: list[str], added: list[str]) -> str:
    """The +1k run: embed the new keywords (and the existing clusters' samples), cluster the new
    ones, match each new group to an existing cluster's centroid (as cluster_methods does)."""
    start = time.perf_counter()
    samples = samples_of(clustering, texts)
    sample_texts = sorted({t for taken in samples.values() for t in taken})
    new_vectors = path.vectors(embedding_texts(added))
    embedded = path.embedded
    sample_vectors = dict(zip(sample_texts, path.vectors(embedding_texts(sample_texts)), strict=True))
    embedded += path.embedded
    result = cluster_embeddings(keywords=added, vectors=new_vectors, volumes=[volume_of(t) for t in added])
    centroids = np.stack([np.mean([sample_vectors[t] for t in samples[n]], axis=0) for n in sorted(samples)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    joined = 0
    for cluster in result.clusters:
        centre = new_vectors[list(cluster.members)].mean(axis=0)
        centre /= np.linalg.norm(centre)
        joined += int((centroids @ centre).max() >= result.threshold)  # the threshold used
    seconds = time.perf_counter() - start
    return (
        f"{seconds:.1f} s ({embedded:,} texts embedded, {len(result.clusters)} new groups, "
        f"{joined} join existing clusters)"
    )


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def child(size: int, which: str) -> None:
    path = New() if which == "new" else Old()
    everything = keyword_set(size + INCREMENT)
    texts, added = sorted(everything[:size]), sorted(everything[size:])
    load_before = os.getloadavg()[0]
    seconds = path.load()
    start = time.perf_counter()
    # What the app embeds: the keyword without ranking words (clustering.embedding_texts).
    vectors = path.vectors(embedding_texts(texts))
    seconds["embed"] = time.perf_counter() - start
    embedded, encoder_seconds = path.embedded, path.encoder_seconds
    clock = StageClock()
    clustering = cluster_embeddings(
        keywords=texts, vectors=vectors, volumes=[volume_of(t) for t in texts], progress=clock
    )
    seconds.update(clock.seconds())
    del vectors
    total = sum(v for k, v in seconds.items() if not k.startswith("ONNX export"))
    full_peak = peak_rss_gb()
    line = incremental(path, clustering, texts, added)
    stages = ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items())
    table = seconds["embed"] - encoder_seconds
    print(f"{size:>7,} keywords, {path.name}")
    print(f"  total {total:6.1f} s ({stages}); peak RSS {full_peak:.2f} GB; {size / total:,.0f} keywords/s")
    print(
        f"  embedded {embedded:,} texts at {embedded / max(encoder_seconds, 1e-9):,.0f} texts/s"
        f" (encoder {encoder_seconds:.1f} s, table reads and writes {table:.1f} s)"
    )
    print(
        f"  {len(clustering.clusters):,} clusters, {(size - len(clustering.outliers)) / size:.1%} clustered, "
        f"{len(clustering.outliers):,} outliers"
    )
    print(
        f"  +{len(added):,} keywords on the clustered site: {line}; peak RSS after it {peak_rss_gb():.2f} GB"
    )
    print(
        f"  load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"CPU time of this process {time.process_time():.1f} s (all of it, both runs)",
        flush=True,
    )


# --- ONNX against PyTorch on every labelled set -------------------------------------------------
def labelled_sets() -> list[Path]:
    found = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        if {"keyword", "group"} <= set(header):
            found.append(path)
    return found


def agreement() -> None:
    """Clusters (default settings) from PyTorch fp32 vectors against every other backend's: ARI
    between the paths, and each path's ARI against the labels. A backend may be the default only
    with ARI >= 0.99 on every set (bench/embedding_variants.py adds speed and variants that are not
    backends)."""
    from sklearn.metrics import adjusted_rand_score

    from igny8.planner.clustering import bf16_embeddings, onnx_embeddings

    encoders = {
        "torch": embeddings.encode,
        "torch-bf16": bf16_embeddings.encode,
        "onnx": onnx_embeddings.encode,
        "onnx-int8": lambda texts: onnx_embeddings.encode(texts=texts, quantized=True),
    }
    for path in labelled_sets():
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        texts = sorted({" ".join(row["keyword"].casefold().split()) for row in rows})
        truth_of = {" ".join(row["keyword"].casefold().split()): row["group"] for row in rows}
        truth = [truth_of[t] for t in texts]
        labels = {}
        for name, encode in encoders.items():
            vectors = encode(texts=embedding_texts(texts))
            labels[name] = cluster_embeddings(keywords=texts, vectors=vectors).labels(size=len(texts))
            # outliers (-1) count as singletons, as the quality bench scores them
            labels[name] = [label if label >= 0 else -(i + 2) for i, label in enumerate(labels[name])]
        between = "  ".join(
            f"torch~{name} {adjusted_rand_score(labels['torch'], labels[name]):.3f}"
            for name in list(encoders)[1:]
        )
        against = "  ".join(f"{name} {adjusted_rand_score(truth, labels[name]):.3f}" for name in encoders)
        print(f"{path.name:<32} {len(texts):>5} keywords  ARI {between}  | vs labels: {against}", flush=True)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        child(int(args[1]), args[2])
        return
    if args == ["--agreement"]:
        agreement()
        return
    paths = [a[2:] for a in args if a in ("--old", "--new")] or ["old", "new"]
    sizes = [int(a) for a in args if a.isdigit()] or [10_000, 100_000]
    # The ONNX export is kept between bench runs (the database is not: IGNY8_HOME is fresh).
    os.environ.setdefault("IGNY8_MODEL_DIR", str(Path.home() / ".igny8-bench-models"))
    for size in sizes:
        for which in paths:
            subprocess.run([sys.executable, __file__, "--child", str(size), which], check=True)
        print(reference_cost(keyword_set(size)), flush=True)


if __name__ == "__main__":
    main()
