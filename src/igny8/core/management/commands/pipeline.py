"""`igny8 pipeline run KEYWORDS.csv --site NAME`: the whole job, headless, with a progress bar per
stage and a summary; `--export DIR` writes the articles as HTML and Markdown with their images.

It plans before it spends: the items and credits of each stage are printed first (`--dry-run`
prints only that), and a job the account's credits cannot cover is refused before the first AI
call, with the shortfall and the command that adds it (exit code 2)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from igny8.accounts import services as account_services
from igny8.accounts.models import Account, Site
from igny8.ai.selectors import text_provider_config
from igny8.billing.selectors import credit_balance
from igny8.pipeline.estimate import PipelineEstimate, estimate_pipeline, new_keywords, shortfall
from igny8.pipeline.runner import (
    PROVIDERS,
    PipelineError,
    PipelineReport,
    parse_stages,
    provider_check,
    run_pipeline,
)
from igny8.pipeline.stages import STAGES, Progress, StageResult
from igny8.planner.csv_reading import CsvProblem
from igny8.publishing.export import export_site


def _quoted(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else f'"{name}"'


def resolve_account(name: str | None) -> Account:
    accounts = Account.objects.filter(is_active=True).select_related("plan")
    hint = "create one with: igny8 createuser --email you@example.com --password ... --account NAME"
    if name:
        account = accounts.filter(name=name).first()
        if account is None:
            raise CommandError(f"No account named {name!r}; {hint}")
        return account
    found = list(accounts[:2])
    if not found:
        raise CommandError(f"There is no account yet; {hint}")
    if len(found) > 1:
        raise CommandError("Several accounts exist; name one with --account.")
    return found[0]


class Command(BaseCommand):
    help = "Run the content pipeline headless: import, cluster, ideas, tasks, articles, images, export."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="Run the pipeline on a keyword CSV.")
        run.add_argument(
            "file", type=Path, help="Keyword CSV (columns keyword, volume, difficulty, cpc, intent)."
        )
        run.add_argument("--site", required=True, help="Site name (created in the account if new).")
        run.add_argument("--account", help="Account name (needed when there are several).")
        run.add_argument("--provider", choices=PROVIDERS, help="Force a provider; default: account settings.")
        run.add_argument(
            "--stages", default=",".join(STAGES), help=f"Comma-separated, from {','.join(STAGES)}."
        )
        run.add_argument("--export", type=Path, help="Folder to export the articles to.")
        run.add_argument(
            "--dry-run", action="store_true", help="Print what each stage would do and cost; change nothing."
        )

    def handle(self, *args, action: str, **options):
        if not options["file"].is_file():
            raise CommandError(f"No such file: {options['file']}")
        try:
            stages = parse_stages(options["stages"])
        except PipelineError as error:
            raise CommandError(str(error)) from error
        account = resolve_account(options["account"])
        try:
            provider_check(account=account, provider=options["provider"])
        except PipelineError as error:
            raise CommandError(str(error)) from error
        data = options["file"].read_bytes()
        existing = Site.objects.filter(account=account, name=options["site"]).first()
        planned_site = existing or Site(account=account, name=options["site"])
        try:
            estimate = estimate_pipeline(
                site=planned_site,
                stages=stages,
                incoming=new_keywords(site=planned_site, data=data),
                provider=options["provider"],
            )
        except CsvProblem as error:
            raise CommandError(str(error)) from error
        self._plan(account, planned_site, estimate, provider=options["provider"])
        if options["dry_run"]:
            return
        missing = shortfall(account=account, estimate=estimate)
        if missing:
            raise CommandError(
                f"This job needs about {estimate.credits} credits and account {account.name!r} holds "
                f"{credit_balance(account=account)['credits']}: {missing} short. Add them with "
                f"`igny8 credits grant {missing} --account {_quoted(account.name)}`, or run fewer "
                "--stages, or use --provider offline (free drafts).",
                returncode=2,
            )
        site = self._site(account, options["site"])
        try:
            report = run_pipeline(
                site=site,
                data=data,
                stages=stages,
                provider=options["provider"],
                on_progress=self._bar,
                on_stage=self._stage_done,
            )
        except (CsvProblem, PipelineError) as error:  # a DomainError is the CLI's to say: exit code 2
            raise CommandError(str(error)) from error
        finally:
            self._close_bar()
        self._summary(report)
        if options["export"]:
            folders = export_site(site=site, directory=options["export"])
            self.stdout.write(f"Exported {len(folders)} article(s) to {options['export']}")
        reasons = [stage.skipped for stage in report.stages if stage.skipped]
        if reasons and not report.stages_did_work:
            raise CommandError(reasons[0], returncode=2)

    def _plan(
        self, account: Account, site: Site, estimate: PipelineEstimate, *, provider: str | None
    ) -> None:
        source = provider or text_provider_config(account=account).provider
        lines = [f"Plan for site {site.name!r} in account {account.name!r} (provider {source}):"]
        lines.append(f"  {'import':<8} {estimate.incoming} new keywords")
        for stage in estimate.stages:
            about = "" if stage.name == "cluster" else "about "
            items = f"{about}{stage.items} {stage.what}"
            line = f"  {stage.name:<8} {items:<24} {stage.credits:>7} credits"
            lines.append(line + (f"  ({stage.note})" if stage.note else ""))
        balance = credit_balance(account=account)
        held = "unlimited plan" if balance["unlimited"] else f"the account holds {balance['credits']}"
        lines.append(f"  {'total':<8} {'':<24} {estimate.credits:>7} credits; {held}")
        self.stdout.write("\n".join(lines))

    def _site(self, account: Account, name: str) -> Site:
        site = Site.objects.filter(account=account, name=name).first()
        if site is None:
            site = account_services.site_create(account=account, name=name)  # PlanLimit: exit code 2
            self.stdout.write(f"Created site {name!r} in account {account.name!r}.")
        return site

    # -- progress ---------------------------------------------------------------------------------
    _current_bar: tqdm | None = None

    def _close_bar(self) -> None:
        if self._current_bar is not None:
            self._current_bar.close()
            self._current_bar = None

    def _bar(self, label: str, batch: int, batches: int):
        self._close_bar()
        desc = label if batches == 1 else f"{label} {batch}/{batches}"
        bar = tqdm(
            total=100,
            desc=desc,
            unit="%",
            file=sys.stderr,
            leave=True,
            bar_format="{desc:<18} {percentage:3.0f}%|{bar}| {postfix}",
        )
        self._current_bar = bar

        def update(progress: Progress) -> None:
            bar.n = progress.percentage
            bar.set_postfix_str(progress.message[:60], refresh=False)
            bar.refresh()

        return update

    def _stage_done(self, result: StageResult) -> None:
        self._close_bar()
        counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
        self.stdout.write(f"{result.name:<8} {counts}" + (f" ({result.skipped})" if result.skipped else ""))
        for error in result.errors:
            self.stderr.write(f"         {error}")

    def _summary(self, report: PipelineReport) -> None:
        tokens_in, tokens_out = report.tokens
        lines = ["", "Summary"]
        if report.imported is not None:
            imported = report.imported
            lines.append(
                f"  import   {imported.created} keywords created, {imported.duplicates_count} duplicates, "
                f"{imported.skipped_count} skipped"
            )
        for stage in report.stages:
            lines.append(f"  {stage.name:<8} " + ", ".join(f"{v} {k}" for k, v in stage.counts.items()))
        lines += [
            f"  tokens   {tokens_in} in, {tokens_out} out",
            f"  cost     ${report.cost_usd:.4f}"
            + (
                f" + unknown for {report.unpriced_calls} call(s) without a price"
                if report.unpriced_calls
                else ""
            ),
            f"  credits  {report.credits}",
            f"  time     {report.seconds:.1f} s",
        ]
        self.stdout.write("\n".join(lines))
