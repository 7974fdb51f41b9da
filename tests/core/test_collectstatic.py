"""`make run` collects the static files with the manifest storage, which refuses a file that names
another file it cannot find (a vendored script's sourceMappingURL, a stylesheet's url()). The tests
serve static files plainly (tests/conftest.py), so this runs the real storage once."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_static_file_collects_with_the_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0")
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for vendored in ("web/vendor/chart.js/chart.umd.js", "web/vendor/quill/quill.js"):
        assert f'"{vendored}"' in manifest
