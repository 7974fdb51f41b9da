from django.core.management.base import BaseCommand, CommandError

from igny8.core import doctor


class Command(BaseCommand):
    help = (
        "Check this installation, one line each with the fix: database and migrations, broker, worker "
        "heartbeat, scheduler (beat), encryption key and the stored secrets it must decrypt, provider "
        "keys, AI models shut down or shutting down within 30 days, media folder, free disk. Exits "
        "with an error when a check fails; warnings do not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            nargs="+",
            choices=list(doctor.CHECKS),
            metavar="CHECK",
            help=f"Run only these checks: {', '.join(doctor.CHECKS)}.",
        )

    def handle(self, *args, only: list[str] | None, **options):
        results = doctor.run_checks(only=only)
        for check in results:
            self.stdout.write(check.line())
        failed = list(dict.fromkeys(check.name for check in results if check.status == doctor.FAIL))
        if failed:
            names = ", ".join(failed)
            raise CommandError(
                f"{len(failed)} check(s) failed ({names}): each FAIL line above says how to fix it."
            )
