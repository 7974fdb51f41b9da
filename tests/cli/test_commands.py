from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from igny8.accounts.models import Account, Membership, User
from igny8.accounts.tokens import token_user
from igny8.core.demo import DEMO_SITE
from igny8.planner.models import Keyword


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_token_and_import(db, tmp_path):
    assert run(
        "createuser", "--email", "Ann@Example.com", "--password", "long-enough-pw", "--account", "Acme"
    ) == ("Created Ann@Example.com in account Acme\n")
    user = User.objects.get()
    assert (user.email, Membership.objects.get().role, Account.objects.get().name) == (
        "ann@example.com",
        "owner",
        "Acme",
    )
    with pytest.raises(CommandError, match="already exists"):
        run("createuser", "--email", "ann@example.com", "--password", "long-enough-pw")

    token = run("token", "--email", "ann@example.com").strip()
    assert token_user(key=token) == user
    with pytest.raises(CommandError, match=r"^No active user with email nobody@example\.com\.$"):
        run("token", "--email", "nobody@example.com")

    from igny8.accounts import services

    services.site_create(account=Account.objects.get(), name="Blog")
    csv_file = tmp_path / "kw.csv"
    csv_file.write_text("keyword,volume\nv60,10\nv60,11\nchemex,-1\n")
    output = run("import-keywords", str(csv_file), "--site", "Blog", "--account", "Acme")
    assert output.splitlines() == [
        "3 rows: 1 created, 1 duplicates, 1 skipped",
        "  line 4: 'chemex': volume must be 0 or more, got '-1'",
    ]
    with pytest.raises(CommandError, match=r"^No site 'Nope' in account 'Acme'\.$"):
        run("import-keywords", str(csv_file), "--site", "Nope", "--account", "Acme")
    with pytest.raises(CommandError, match="No such file"):
        run("import-keywords", str(tmp_path / "missing.csv"), "--site", "Blog")


def test_demo_is_idempotent(db):
    assert (
        run("demo") == "Created the demo workspace: account 'Demo', site 'Home Coffee Lab', 203 keywords.\n"
    )
    assert (
        run("demo") == "Reusing the demo workspace: account 'Demo', site 'Home Coffee Lab', 203 keywords.\n"
    )
    assert Keyword.objects.filter(site__name=DEMO_SITE).count() == 203
    assert Account.objects.count() == 1
    assert User.objects.get().check_password("home-coffee-lab")


def test_console_script_runs_django_commands():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "igny8.cli", "help", "import-keywords"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: igny8 import-keywords" in result.stdout
