"""Members-only media (writer/media.py): a stored file reaches members of the account that owns it,
by session or API token; everyone and everything else gets the same 404."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image as PILImage
from rest_framework.test import APIClient

from igny8.writer import services
from igny8.writer.models import Content, Image

pytestmark = pytest.mark.django_db


def webp_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="WEBP")
    return buffer.getvalue()


def signed_in(tenant) -> Client:
    client = Client()
    client.force_login(tenant.user)
    return client


def generated(tenant) -> Image:
    """A featured image stored the way the images AI function stores one."""
    content = Content.objects.create(account=tenant.account, site=tenant.site, title="Moka pot")
    image = Image.objects.create(
        account=tenant.account, site=tenant.site, content=content, image_type="featured", prompt="A pot"
    )
    return services.image_save_generated(
        image=image, data=webp_bytes(), fmt="webp", provider="offline", model="offline", cost=0, variants=[]
    )


def test_members_get_the_exact_bytes_by_session_and_by_token(alice, bob):
    image = generated(alice)
    url = f"/media/{image.file.name}"

    by_owner = signed_in(alice).get(url)
    by_viewer = bob.client().get(url)

    for response in (by_owner, by_viewer):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == webp_bytes()
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, max-age=3600"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Vary"] == "Cookie, Authorization"
    assert signed_in(bob).head(url).status_code == 200


def test_new_image_names_are_unguessable(alice):
    image = generated(alice)
    base = f"images/{alice.account.pk}/{alice.site.pk}/{image.content_id}"
    assert re.fullmatch(rf"{base}/featured-0-[0-9a-f]{{20}}\.webp", image.file.name)
    guessed = f"/media/{base}/featured-0.webp"
    assert signed_in(alice).get(guessed).status_code == 404


def test_anonymous_other_account_bad_token_missing_and_traversal_get_the_same_404(alice, charlie, tmp_path):
    image = generated(alice)
    url = f"/media/{image.file.name}"
    (tmp_path / "secret.txt").write_text("outside MEDIA_ROOT")  # MEDIA_ROOT is tmp_path / "media"
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Bearer igny8_not-a-token")
    # A bad token is nobody, even beside a member's session.
    bad_token.force_login(alice.user)
    member = signed_in(alice)

    answers = [
        Client().get(url),
        signed_in(charlie).get(url),
        charlie.client().get(url),
        bad_token.get(url),
        member.get(f"/media/images/{alice.account.pk}/{alice.site.pk}/{image.content_id}/gone.webp"),
        member.get("/media/../secret.txt"),
        member.get("/media/images/%2e%2e/../secret.txt"),
        member.get(f"/media/{image.file.name.replace('images/', 'images/./')}"),
        member.get(f"/media//{default_storage.path(image.file.name)}"),
        member.get(f"/media/{default_storage.path(image.file.name)}"),
        member.get("/media/"),
        member.get(f"/media/images/{alice.account.pk}"),
    ]

    assert [response.status_code for response in answers] == [404] * len(answers)
    assert len({response.content for response in answers}) == 1


def test_a_row_decides_over_the_path_and_a_file_without_one_is_nobodys(alice, charlie):
    image = generated(alice)
    # Saved through upload_to (images/%Y/%m/…): the second segment is a year, not an account.
    image.file.save("upload.webp", ContentFile(webp_bytes()), save=True)
    assert re.fullmatch(r"images/\d{4}/\d{2}/upload\.webp", image.file.name)
    orphan = default_storage.save(f"images/{alice.account.pk}/orphan.webp", ContentFile(webp_bytes()))

    assert signed_in(alice).get(f"/media/{image.file.name}").status_code == 200
    assert signed_in(charlie).get(f"/media/{image.file.name}").status_code == 404
    assert signed_in(alice).get(f"/media/{orphan}").status_code == 404


def test_path_owned_files_follow_the_account_segment(alice, bob, charlie):
    name = default_storage.save(f"ai-tests/{alice.account.pk}/a1b2c3.webp", ContentFile(webp_bytes()))
    page = default_storage.save(f"accounts/{alice.account.pk}/notes.html", ContentFile(b"<script>x</script>"))

    assert b"".join(bob.client().get(f"/media/{name}").streaming_content) == webp_bytes()
    assert signed_in(charlie).get(f"/media/{name}").status_code == 404
    assert charlie.client().get(f"/media/{name}").status_code == 404
    assert signed_in(alice).get(f"/media/ai-tests/{'9' * 30}/a1b2c3.webp").status_code == 404
    # Not an image: a download, never a page that could run in the app's origin.
    download = signed_in(alice).get(f"/media/{page}")
    assert (download.status_code, download["Content-Type"]) == (200, "application/octet-stream")
    assert download["Content-Disposition"] == 'attachment; filename="notes.html"'


def test_a_deactivated_account_or_user_reads_nothing(alice, bob):
    image = generated(alice)
    url = f"/media/{image.file.name}"
    bob.user.is_active = False
    bob.user.save()
    assert bob.client().get(url).status_code == 404
    alice.account.is_active = False
    alice.account.save()
    assert signed_in(alice).get(url).status_code == 404


def test_pages_show_images_that_load_for_members_only(alice, charlie):
    image = generated(alice)
    assert image.cost == Decimal("0")
    member = signed_in(alice)

    page = member.get("/writer/images/").content.decode()
    (src,) = re.findall(r'<img src="(/media/[^"]+)"', page)

    assert src == f"/media/{image.file.name}"
    assert member.get(src).status_code == 200
    assert signed_in(charlie).get(src).status_code == 404
