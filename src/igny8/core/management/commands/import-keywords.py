from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from igny8.accounts.models import Account, Site
from igny8.planner.csv_reading import CsvProblem
from igny8.planner.imports import keywords_import


def find_site(*, site: str, account: str | None) -> Site:
    """A site by id or name, optionally within a named account; ambiguity is an error."""
    sites = Site.objects.select_related("account", "account__plan")
    if account:
        if not Account.objects.filter(name=account).exists():
            raise CommandError(f"No account named {account!r}.")
        sites = sites.filter(account__name=account)
    matches = list(sites.filter(pk=int(site))) if site.isdigit() else list(sites.filter(name=site))
    if not matches:
        raise CommandError(f"No site {site!r}" + (f" in account {account!r}." if account else "."))
    if len(matches) > 1:
        raise CommandError(f"{len(matches)} sites are named {site!r}; add --account.")
    return matches[0]


class Command(BaseCommand):
    help = "Import keywords from a CSV file into a site (columns: keyword, volume, difficulty, cpc, intent)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--site", required=True, help="Site name or id.")
        parser.add_argument("--account", help="Account name, when site names repeat across accounts.")

    def handle(self, *args, file: Path, site: str, account: str | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        target = find_site(site=site, account=account)
        try:
            report = keywords_import(site=target, data=file.read_bytes())
        except CsvProblem as problem:  # a plan limit (PlanLimit) is the CLI's to say: exit code 2
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            f"{report.rows} rows: {report.created} created, {report.duplicates_count} duplicates, "
            f"{report.skipped_count} skipped"
        )
        for issue in report.skipped[:20]:
            self.stdout.write(f"  line {issue.row}: {issue.keyword!r}: {issue.reason}")
