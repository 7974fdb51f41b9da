"""The main job: import a keyword file, then run the chosen stages (the automation actions, in
their order) one after another, each on what is left in the site, and report."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from igny8.accounts.models import Account, Sector, Site
from igny8.ai.selectors import text_provider_config
from igny8.pipeline.stages import (
    STAGE_FUNCTIONS,
    STAGES,
    Progress,
    ProgressCallback,
    StageContext,
    StageResult,
)
from igny8.planner.imports import ImportReport, keywords_import

PROVIDERS = ("offline", "openai")


class PipelineError(ValueError):
    """The job cannot start as asked; the message says what to change."""


@dataclass
class PipelineReport:
    imported: ImportReport | None = None
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def tokens(self) -> tuple[int, int]:
        pairs = [stage.tokens for stage in self.stages]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def cost_usd(self) -> Decimal:
        return sum((stage.cost_usd for stage in self.stages), Decimal("0"))

    @property
    def unpriced_calls(self) -> int:
        return sum(stage.unpriced_calls for stage in self.stages)

    @property
    def credits(self) -> int:
        return sum(stage.credits for stage in self.stages)

    @property
    def stages_did_work(self) -> bool:
        """Whether any stage ran an AI run (the import alone is not the job that was asked for)."""
        return any(stage.runs for stage in self.stages)

    @property
    def errors(self) -> list[str]:
        return [error for stage in self.stages for error in stage.errors]


def parse_stages(text: str | None) -> tuple[str, ...]:
    if not text:
        return STAGES
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in STAGES]
    if unknown:
        raise PipelineError(f"Unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}.")
    # Stages always run in pipeline order, whatever order they were named in.
    return tuple(name for name in STAGES if name in chosen)


def provider_check(*, account: Account, provider: str | None) -> None:
    """Raises PipelineError when the forced provider cannot run for this account."""
    if provider is not None and provider not in PROVIDERS:
        raise PipelineError(f"Unknown provider {provider!r}; choose from {', '.join(PROVIDERS)}.")
    if provider == "openai" and text_provider_config(account=account).provider != "openai":
        raise PipelineError(
            "--provider openai needs an OpenAI API key: set OPENAI_API_KEY, or save a key in the "
            "account's OpenAI integration settings."
        )


def _silent(label: str, batch: int, batches: int) -> ProgressCallback:
    return lambda progress: None


def run_pipeline(
    *,
    site: Site,
    data: bytes | None,
    stages: tuple[str, ...] = STAGES,
    provider: str | None = None,
    sector: Sector | None = None,
    on_progress: Callable[[str, int, int], Callable[[Progress], None]] = _silent,
    on_stage: Callable[[StageResult], None] = lambda result: None,
) -> PipelineReport:
    """`provider` forces a provider for every run ('offline' never calls the network); None uses
    the account's settings. A stage whose runs fail records the errors and the job goes on with
    whatever the earlier stages produced."""
    provider_check(account=site.account, provider=provider)
    started = time.perf_counter()
    report = PipelineReport()
    if data is not None:
        report.imported = keywords_import(site=site, data=data, sector=sector)
    # Only "offline" is forced per run; "openai" is the account's own configuration, checked above.
    ctx = StageContext(
        site=site,
        payload_extra={"provider": "offline"} if provider == "offline" else {},
        on_progress=on_progress,
    )
    for name in stages:
        result = STAGE_FUNCTIONS[name](ctx)
        report.stages.append(result)
        on_stage(result)
    report.seconds = time.perf_counter() - started
    return report
