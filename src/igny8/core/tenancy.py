"""The abstract base of every row that belongs to a site of an account."""

from django.db import models

from igny8.core.models import BaseModel


class SiteOwned(BaseModel):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("accounts.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(
        "accounts.Sector", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
