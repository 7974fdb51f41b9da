"""The test database as a DATABASE_URL, for real worker processes started by tests."""

from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
