"""Settings → Test runs on a worker (system/provider_checks.py): what the tests do in its place."""

import re

from igny8.system import provider_checks
from igny8.system.models import ProviderCheck

HX = {"HTTP_HX_REQUEST": "true"}


def answer(web, started):
    """The box the Test button got polls one address; run the queued test as a worker would, then
    poll it once: the finished test's answer."""
    html = started.content.decode()
    assert 'hx-trigger="every 1s"' in html, html
    url = re.search(r'hx-get="(/settings/tests/\d+/)"', html).group(1)
    for pk in ProviderCheck.objects.filter(status="queued").values_list("pk", flat=True):
        provider_checks.check_run(check_id=pk)
    return web.get(url, **HX)
