from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from igny8.accounts.models import Account, Site
from igny8.ai.models import AIRun
from igny8.billing import plans
from igny8.billing.models import CreditTransaction
from igny8.planner.models import Keyword
from igny8.writer.models import Content

KEYWORDS = [
    "pour over coffee ratio",
    "pour over coffee grind size",
    "pour over kettle",
    "best pour over dripper",
    "v60 recipe",
    "v60 grind size",
    "chemex recipe",
    "chemex filter",
    "french press ratio",
    "french press grind size",
]


def keyword_file(tmp_path, words) -> str:
    path = tmp_path / "kw.csv"
    path.write_text("keyword,volume\n" + "".join(f"{word},{10 + n}\n" for n, word in enumerate(words)))
    return str(path)


def pipeline(*args) -> str:
    """The command's output with each line's column padding folded to single spaces."""
    out = StringIO()
    call_command("pipeline", "run", *args, stdout=out, stderr=StringIO())
    return "\n".join(" ".join(line.split()) for line in out.getvalue().splitlines())


@pytest.fixture(autouse=True)
def _no_key(settings):
    settings.OPENAI_API_KEY = ""


@pytest.mark.django_db
def test_dry_run_prints_the_plan_and_changes_nothing(alice, tmp_path, settings):
    settings.OPENAI_API_KEY = "sk-test"  # priced: the account's own provider is OpenAI
    output = pipeline(
        keyword_file(tmp_path, KEYWORDS), "--site", "New blog", "--account", "Account A", "--dry-run"
    )
    assert output.splitlines() == [
        "Plan for site 'New blog' in account 'Account A' (provider openai):",
        "import 10 new keywords",
        "cluster 10 keywords 10 credits",
        "ideas about 2 clusters 30 credits",
        "content about 10 articles 500 credits",
        "images about 30 images 130 credits",
        "total 670 credits; the account holds 5000",
    ]
    assert not Site.objects.filter(name="New blog").exists()
    assert (Keyword.objects.count(), AIRun.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_too_few_credits_refuses_before_the_first_call(alice, tmp_path, settings):
    settings.OPENAI_API_KEY = "sk-test"
    Account.objects.filter(pk=alice.account.pk).update(credits=100)
    with pytest.raises(CommandError) as refused:
        pipeline(keyword_file(tmp_path, KEYWORDS), "--site", "Alice Site", "--account", "Account A")
    assert refused.value.returncode == 2
    assert str(refused.value) == (
        "This job needs about 670 credits and account 'Account A' holds 100: 570 short. Add them with "
        '`igny8 credits grant 570 --account "Account A"`, or run fewer --stages, or use --provider '
        "offline (free drafts)."
    )
    assert (Keyword.objects.count(), AIRun.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_an_unlimited_plan_is_never_refused(alice, tmp_path, settings):
    settings.OPENAI_API_KEY = "sk-test"
    plans.account_plan_set(account=alice.account, plan=plans.plan_named("Unlimited"))
    Account.objects.filter(pk=alice.account.pk).update(credits=0)
    output = pipeline(keyword_file(tmp_path, KEYWORDS), "--site", "Alice Site", "--dry-run")
    assert output.splitlines()[-1] == "total 670 credits; unlimited plan"


# AI runs execute on a thread of their own (automation/runner.py): it must see committed rows.
@pytest.mark.django_db(transaction=True)
def test_an_offline_run_charges_nothing(alice, tmp_path):
    output = pipeline(
        keyword_file(tmp_path, KEYWORDS),
        "--site",
        "Alice Site",
        "--provider",
        "offline",
        "--stages",
        "cluster,ideas,content",
    )
    assert "total 0 credits; the account holds 5000" in output
    assert "credits 0" in output.splitlines()
    assert Content.objects.filter(site=alice.site).count() > 0
    assert Account.objects.get(pk=alice.account.pk).credits == 5000
    assert list(CreditTransaction.objects.filter(account=alice.account).values_list("reason", flat=True)) == [
        "grant"
    ]
    assert set(AIRun.objects.values_list("credits_reserved", "credits_used")) == {(0, 0)}


@pytest.mark.django_db(transaction=True)
def test_a_few_keywords_say_why_they_were_not_clustered(alice, tmp_path):
    small = keyword_file(tmp_path, KEYWORDS[:3])
    plan = pipeline(small, "--site", "Alice Site", "--provider", "offline", "--dry-run").splitlines()
    assert plan[2] == (
        "cluster 0 keywords 0 credits (clustering needs at least 5 keywords; "
        "the site will have 3 unclustered. Add keywords to the file and run again.)"
    )
    with pytest.raises(CommandError) as stopped:
        pipeline(small, "--site", "Alice Site", "--provider", "offline")
    assert (stopped.value.returncode, str(stopped.value)) == (
        2,
        "Clustering needs at least 5 keywords; 3 are unclustered in site 'Alice Site'. "
        "Add keywords and run again.",
    )
    assert Keyword.objects.filter(site=alice.site).count() == 3  # the import itself is kept
    assert AIRun.objects.count() == 0
    # Two more make five: the same command now clusters them.
    pipeline(
        keyword_file(tmp_path, KEYWORDS[3:5]),
        "--site",
        "Alice Site",
        "--provider",
        "offline",
        "--stages",
        "cluster",
    )
    assert AIRun.objects.get().function_name == "auto_cluster"
