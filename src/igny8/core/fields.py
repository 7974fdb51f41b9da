"""EncryptedJSONField: a dict of secrets stored as one Fernet token."""

import json

from django.db import models

from igny8.core import crypto


class EncryptedJSONField(models.TextField):
    description = "A JSON object encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return {}
        return json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        if value in (None, ""):
            return {}
        return json.loads(crypto.decrypt(value))

    def get_prep_value(self, value):
        if not value:
            return ""
        return crypto.encrypt(json.dumps(value, sort_keys=True))
