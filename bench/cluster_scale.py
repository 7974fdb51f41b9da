"""Clustering at scale: 10,000 and 100,000 keywords end to end (embed + cluster), time and peak RSS.

Each size runs in its own child process so its peak RSS is its own (ru_maxrss never goes down).
The pipeline is a list of stages; the database save is the next stage to add once the engine
lands (see STAGES). Beside each size it prints what the reference's method (an LLM call per 20
keywords) would need for the same input.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_scale.py            # 10k and 100k
    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_scale.py 10000      # one size

Targets: 10k <= 30 s; 100k <= 5 min with peak RSS <= 3 GB (2-core machine).
"""

import hashlib
import math
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from igny8.planner.clustering import Clustering, cluster_embeddings, embeddings

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


# --- the pipeline --------------------------------------------------------------------------------
@dataclass
class Run:
    keywords: list[str]
    vectors: np.ndarray | None = None
    clustering: Clustering | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def stage_load(run: Run) -> None:
    embeddings.load_model()


def stage_embed(run: Run) -> None:
    run.vectors = embeddings.encode(texts=sorted(run.keywords))  # canonical order, as the pipeline does


def stage_cluster(run: Run) -> None:
    run.clustering = cluster_embeddings(keywords=sorted(run.keywords), vectors=run.vectors)


# Next: ("save", stage_save) writing Cluster rows and keyword.cluster_id in bulk.
STAGES: list[tuple[str, Callable[[Run], None]]] = [
    ("model load", stage_load),
    ("embed", stage_embed),
    ("cluster", stage_cluster),
]


def child(size: int) -> None:
    run = Run(keywords=keyword_set(size))
    for name, stage in STAGES:
        start = time.perf_counter()
        stage(run)
        run.seconds[name] = time.perf_counter() - start
    total = sum(run.seconds.values())
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    assert run.clustering is not None
    clustered = size - len(run.clustering.outliers)
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.seconds.items())
    print(f"{size:>7,} keywords: total {total:6.1f} s ({stages}); peak RSS {peak_gb:.2f} GB")
    print(
        f"  {len(run.clustering.clusters):,} clusters, {clustered / size:.1%} clustered, "
        f"{len(run.clustering.outliers):,} outliers; {size / total:,.0f} keywords/s end to end"
    )
    print(reference_cost(run.keywords), flush=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for size in sizes:
        subprocess.run([sys.executable, __file__, "--child", str(size)], check=True)


if __name__ == "__main__":
    main()
