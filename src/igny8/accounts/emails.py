"""Emails to people (sign-up links, invitations, password reset links) are sent by a worker, never
inside the web request.

Why: Django's send_mail waits on the SMTP server (EMAIL_TIMEOUT, 20 s), so a slow or dead server
held the request, and its web worker, that long (issue 12 point 7). The request renders the message
and hands it to the job kernel (core/jobs.py), which sends it to the broker after the request's
transaction commits: an invitation rolled back sends nothing. The worker's task
(accounts/tasks.py) sends it, retried with Celery's backoff, and logs the final failure.

No row is kept, so a message the broker refused (down when the request committed) is logged by
core.jobs and lost. Deliberately: every message carries a credential (the sign-up, invitation or
reset link) that we do not want at rest in the database, and each can be asked for again by the
person who needs it (sign up again, invite again, reset again). docs/operators.md says so."""

from __future__ import annotations

import uuid

from django.core.mail import EmailMultiAlternatives

from igny8.core import jobs

TASK = "igny8.accounts.tasks.send_email"


def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Queues the message for a worker after the current transaction commits."""
    # A task id of our own: core.jobs logs a broker failure with it, not with the arguments (the
    # message holds a link that signs someone in or up).
    jobs.enqueue(task_name=TASK, args=[subject, body, list(to), html_body], task_id=uuid.uuid4().hex)


def email_deliver(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """The worker's side: one attempt. SMTP's errors (OSErrors) propagate: the task retries them."""
    message = EmailMultiAlternatives(subject, body, None, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
