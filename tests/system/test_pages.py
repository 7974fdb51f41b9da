from django.test import Client


def test_sign_in_page_and_home(alice):
    client = Client()
    assert client.get("/").status_code == 302
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'<label for="id_username">Email</label>' in page.content
    wrong = client.post("/login/", {"username": "alice@example.com", "password": "nope"})
    assert b'role="alert"' in wrong.content
    signed_in = client.post("/login/", {"username": "alice@example.com", "password": "correct-horse-battery"})
    assert signed_in.status_code == 302
    home = client.get("/")
    # The web app's dashboard (igny8.web): the account in the switcher, the site's pipeline.
    assert b"Account A (owner)" in home.content
    assert b'<h1>Dashboard <small class="muted">Alice Site</small></h1>' in home.content
