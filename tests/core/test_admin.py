"""Every model has a working Django admin page."""

import pytest
from django.contrib import admin
from django.test import Client

from igny8.accounts.models import User


@pytest.mark.django_db
def test_every_igny8_model_is_registered_and_renders(alice):
    staff = User.objects.create_superuser(email="root@example.com", password="correct-horse-battery")
    client = Client()
    client.force_login(staff)
    ours = [m for m in admin.site._registry if m.__module__.startswith("igny8.")]
    from django.apps import apps

    expected = [m for m in apps.get_models() if m.__module__.startswith("igny8.")]
    assert sorted(m.__name__ for m in expected) == sorted(m.__name__ for m in ours)
    for model in ours:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        assert client.get(url + "add/").status_code in (200, 403), url
