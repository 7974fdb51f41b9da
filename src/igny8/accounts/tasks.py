"""The accounts app's Celery entry point: the emails of accounts/emails.py, sent by a worker."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from igny8.accounts import emails

log = logging.getLogger(__name__)

# Celery's own retry: about 10, 20, 40, 80 and 160 s apart (full jitter: up to those), so an SMTP
# server that is down for a few minutes still gets the message; then the failure is logged.
MAX_RETRIES = 5


class EmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Called once, when the retries are spent (or on an error that is not retried). The body is
        # not logged: it holds the link.
        subject, _body, to = args[0], args[1], args[2]
        log.error(
            "Email %r to %s was not sent after %d tries: %s",
            subject,
            ", ".join(to),
            self.request.retries + 1,
            exc,
        )


@shared_task(
    name=emails.TASK,
    base=EmailTask,
    ignore_result=True,  # the result backend would otherwise keep the arguments, link included
    autoretry_for=(OSError,),  # smtplib's errors, refused and timed-out connections, TLS failures
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=MAX_RETRIES,
)
def send_email(subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    emails.email_deliver(subject=subject, body=body, to=to, html_body=html_body)
