from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import connections

from igny8 import cli
from igny8.accounts.models import Account
from igny8.core.errors import Conflict, InsufficientCredits, Invalid, PlanLimit
from igny8.core.management.commands import credits as credits_command


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def igny8(monkeypatch, capsys):
    """Runs `igny8 ARGS...` in this process: (exit code, stdout, stderr). The CLI closes the
    database connections when a command ends, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            cli.main(["igny8", *args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.mark.django_db
def test_credits_show_grant_and_set(alice):
    assert run("credits", "grant", "250", "--account", "Account A", "--note", "launch") == (
        "Account A: 5250 credits (Starter plan: 5000 credits a period, renews monthly)\n"
    )
    assert run("credits", "set", "40", "--account", "Account A") == (
        "Account A: 40 credits (Starter plan: 5000 credits a period, renews monthly)\n"
    )
    shown = run("credits", "show", "--account", "Account A", "--last", "2").splitlines()
    assert shown[0] == "Account A: 40 credits (Starter plan: 5000 credits a period, renews monthly)"
    assert [line.split("  ", 2)[2].split() for line in shown[1:]] == [
        ["-5210", "=", "40", "adjustment", "igny8", "credits", "set"],
        ["+250", "=", "5250", "grant", "launch"],
    ]
    with pytest.raises(CommandError, match=r"^amount: grant a positive number of credits, got 0\.$"):
        run("credits", "grant", "0", "--account", "Account A")
    with pytest.raises(CommandError, match=r"^amount: a balance is 0 or more credits, got -5\.$"):
        run("credits", "set", "-5", "--account", "Account A")
    with pytest.raises(CommandError, match=r"^No account named 'Nope' \(accounts: Account A\)\.$"):
        run("credits", "show", "--account", "Nope")


@pytest.mark.django_db
def test_plans_lists_and_assigns(alice):
    assert run("plans").splitlines() == [
        "plan                  credits renews    sites  keywords accounts",
        "Starter *                5000 monthly       5    100000        1",
        "Unlimited           unlimited -          1000  10000000        0",
        "* the default plan of sign-ups; IGNY8_DEFAULT_PLAN picks the command line's.",
    ]
    assert run("plans", "assign", "unlimited", "--account", "Account A") == (
        "Account A: unlimited credits (Unlimited plan; balance 5000 is not used)\n"
    )
    assert Account.objects.get(pk=alice.account.pk).plan.name == "Unlimited"
    with pytest.raises(CommandError, match=r"^No plan named 'Gold'; the plans are: Starter, Unlimited\.$"):
        run("plans", "assign", "Gold", "--account", "Account A")


@pytest.mark.django_db
def test_createuser_and_demo_use_the_operators_default_plan(settings):
    settings.IGNY8_DEFAULT_PLAN = "Unlimited"
    run("createuser", "--email", "ann@example.com", "--password", "long-enough-pw", "--account", "Acme")
    run("demo")
    run(
        "createuser",
        "--email",
        "bo@example.com",
        "--password",
        "long-enough-pw",
        "--account",
        "B",
        "--plan",
        "starter",
    )
    assert dict(Account.objects.values_list("name", "plan__name")) == {
        "Acme": "Unlimited",
        "Demo": "Unlimited",
        "B": "Starter",
    }
    # An unlimited plan gives no opening balance: there is nothing to spend it on.
    assert Account.objects.get(name="Acme").credits == 0
    with pytest.raises(CommandError, match=r"^No plan named 'Gold'; the plans are: Starter, Unlimited\.$"):
        run("createuser", "--email", "cy@example.com", "--password", "long-enough-pw", "--plan", "Gold")
    settings.IGNY8_DEFAULT_PLAN = "Gold"
    Account.objects.filter(name="Demo").delete()
    with pytest.raises(CommandError, match=r"^IGNY8_DEFAULT_PLAN: No plan named 'Gold'"):
        run("demo")


@pytest.mark.django_db
def test_every_command_answers_a_bad_argument_with_one_line(igny8):
    names = sorted(get_commands())
    assert {"credits", "plans", "pipeline", "createuser", "demo", "doctor", "token"} <= set(names)
    for name in names:
        code, out, err = igny8(name, "--no-such-option")
        assert code == 2, (name, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        # "unrecognized arguments", or a required argument missing before that is noticed
        assert err.startswith(f"igny8 {name}") and err.endswith(f"(see: igny8 help {name})\n"), err
        assert out == "", name


@pytest.mark.django_db
def test_usage_and_user_errors_are_one_line_with_a_nonzero_code(igny8, alice, tmp_path, monkeypatch):
    assert igny8("credit") == (
        2,
        "",
        "igny8: unknown command 'credit'; did you mean credits? (igny8 help lists them)\n",
    )
    assert igny8("credits", "grant", "--account", "Account A") == (
        2,
        "",
        "igny8 credits grant: the following arguments are required: amount (see: igny8 help credits)\n",
    )
    assert igny8("credits", "show", "--account", "Nope") == (
        1,
        "",
        "igny8 credits: No account named 'Nope' (accounts: Account A).\n",
    )
    keywords = tmp_path / "kw.csv"
    keywords.write_text("keyword\nv60\n")
    assert igny8("pipeline", "run", str(keywords), "--site", "Blog", "--stages", "publish")[2] == (
        "igny8 pipeline: Unknown stage(s) publish; choose from cluster, ideas, content, images.\n"
    )

    def refuse(self, *args, **options):
        raise Invalid(errors={"site": ["This site was deleted.", "Pick another."]})

    monkeypatch.setattr(credits_command.Command, "handle", refuse)
    assert igny8("credits", "show", "--account", "Account A") == (
        2,
        "",
        "igny8 credits: site: This site was deleted. Pick another.\n",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("refusal", "line"),
    [
        (Conflict("This execution already ended (completed)."), "This execution already ended (completed)."),
        (PlanLimit("Your plan allows 3 sites;\ndelete one."), "Your plan allows 3 sites; delete one."),
        (Invalid("Must be soft or hard.", field="serp_mode"), "serp_mode: Must be soft or hard."),
        (
            InsufficientCredits(needed=50, held=40),
            "This needs 50 credits; the account holds 40. Add credits or select fewer items.",
        ),
    ],
)
def test_a_domain_error_is_one_line_and_exit_code_2(igny8, monkeypatch, refusal, line):
    def refuse(self, *args, **options):
        raise refusal

    monkeypatch.setattr(credits_command.Command, "handle", refuse)
    code, out, err = igny8("credits", "show", "--account", "Account A")
    assert (code, out, err) == (2, "", f"igny8 credits: {line}\n")
    assert "Traceback" not in err


@pytest.mark.django_db
def test_a_bug_keeps_its_traceback(igny8, monkeypatch):
    def broken(self, *args, **options):
        raise ZeroDivisionError("a real bug")

    monkeypatch.setattr(credits_command.Command, "handle", broken)
    with pytest.raises(ZeroDivisionError):
        igny8("credits", "show", "--account", "Anything")


def test_the_console_script_prints_one_line_and_no_traceback():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "igny8.cli", "plans", "assign", "Unlimited"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "igny8 plans assign: the following arguments are required: --account (see: igny8 help plans)\n"
    )


@pytest.mark.django_db
def test_a_plan_limit_from_a_service_is_the_clis_one_line(igny8, alice, tmp_path):
    plan = alice.account.plan
    plan.max_keywords = 1
    plan.save()
    keywords = tmp_path / "kw.csv"
    keywords.write_text("keyword\nv60\naeropress\n")
    assert igny8("import-keywords", str(keywords), "--site", "Alice Site", "--account", "Account A") == (
        2,
        "",
        "igny8 import-keywords: This import would bring the account to 2 keywords; the plan allows 1 (0 held "
        "now). Remove rows or upgrade the plan. Nothing was imported.\n",
    )
