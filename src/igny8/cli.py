"""The `igny8` command: every Django management command, with IGNY8's own among them
(serve, worker, beat, createuser, token, import-keywords, demo, credits, plans, pipeline).

A user's mistake (a bad argument, an unknown account, too few credits) is one line on stderr,
"igny8 COMMAND: what is wrong", and a non-zero exit code: 2 for what the user must change, or a
CommandError's own code. Anything else is a bug and keeps its traceback."""

import os
import sys
from difflib import get_close_matches

# Django's own ways in, and the flags that never name a command.
_PASSTHROUGH = {"help", "version", "--help", "-h", "--version"}


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "change what you asked", imported once Django is set up. The
    services' refusals are all core.errors.DomainError; the others are the command line's own."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    from igny8.billing.plans import UnknownPlan
    from igny8.core.errors import DomainError
    from igny8.pipeline.runner import PipelineError
    from igny8.planner.csv_reading import CsvProblem

    return (DomainError, DjangoValidationError, PipelineError, CsvProblem, UnknownPlan)


def _message(error: BaseException) -> str:
    """An error as one line: a DomainError's fields as "field: reason; other: reason" (its sentence
    when it names none), a Django ValidationError's messages, else the text; newlines folded."""
    from igny8.core.errors import DomainError

    if isinstance(error, DomainError):
        fields = "; ".join(f"{name}: {' '.join(reasons)}" for name, reasons in error.errors.items())
        text = fields or error.message
    else:
        messages = getattr(error, "messages", None)
        text = " ".join(map(str, messages)) if messages else str(error)
    return " ".join(text.split())


def _fail(prog: str, message: str, code: int) -> None:
    sys.stderr.write(f"{prog}: {message}\n")
    sys.exit(code)


def _one_line_usage_errors() -> None:
    """argparse prints the whole usage block and the error; on the command line ours is one line.
    Parsers built for call_command (tests, other code) keep Django's CommandError."""
    from django.core.management.base import CommandParser

    if getattr(CommandParser.error, "_igny8_one_line", False):
        return
    original = CommandParser.error

    def error(self, message):
        if not self.called_from_command_line:
            return original(self, message)
        words = self.prog.split()  # "igny8 credits grant": the help is the command's
        _fail(self.prog, f"{message} (see: igny8 help {words[1] if len(words) > 1 else ''})".strip(), 2)

    error._igny8_one_line = True
    CommandParser.error = error


def _run(command, args: list[str]) -> None:
    """BaseCommand.run_from_argv, with every user error (not only CommandError) as one line."""
    from django.core.management.base import (
        BaseCommand,
        CommandError,
        SystemCheckError,
        handle_default_options,
    )
    from django.db import connections

    if type(command).run_from_argv is not BaseCommand.run_from_argv:  # e.g. `test`: its own way in
        command.run_from_argv(args)
        return
    prog = f"igny8 {args[1]}"
    command._called_from_command_line = True
    parser = command.create_parser(args[0], args[1])
    options = parser.parse_args(args[2:])
    cmd_options = vars(options)
    positional = cmd_options.pop("args", ())
    handle_default_options(options)
    try:
        command.execute(*positional, **cmd_options)
    except SystemCheckError as error:  # the checks framework's own report, several lines by design
        if options.traceback:
            raise
        sys.stderr.write(f"{error}\n")
        sys.exit(error.returncode)
    except CommandError as error:
        if options.traceback:
            raise
        _fail(prog, _message(error), error.returncode)
    except _user_errors() as error:
        if options.traceback:
            raise
        _fail(prog, _message(error), 2)
    finally:
        connections.close_all()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")
    import django
    from django.core.management import ManagementUtility, execute_from_command_line, get_commands

    args = list(sys.argv if argv is None else argv)
    args[0] = "igny8"
    if len(args) < 2 or args[1] in _PASSTHROUGH or args[1].startswith("-"):
        execute_from_command_line(args)
        return
    django.setup()
    _one_line_usage_errors()
    name, commands = args[1], get_commands()
    if name not in commands:
        close = get_close_matches(name, commands)
        hint = f"did you mean {close[0]}? " if close else ""
        _fail("igny8", f"unknown command {name!r}; {hint}(igny8 help lists them)", 2)
    _run(ManagementUtility(args).fetch_command(name), args)


if __name__ == "__main__":
    main()
