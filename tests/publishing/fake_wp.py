"""A fake WordPress on a loopback port: the REST routes the publisher uses, with WordPress's quirks.

- /wp-json/ lists namespaces; application passwords appear only when they are usable.
- Basic auth: unknown user -> 401 invalid_username, wrong password -> 401 incorrect_password, no
  Authorization header (or `strip_auth`, as a misconfigured Apache does) -> 401 rest_not_logged_in,
  `https_only` -> 401 application_passwords_disabled (WordPress over plain http).
- `anonymous_bad_password` (what WordPress 6.1 answered in the field): a known user with a wrong
  application password -> 401 rest_not_logged_in, while an unknown user is still invalid_username.
- POST /wp/v2/media without Content-Disposition -> 400 rest_upload_no_content_disposition.
- Term names come back HTML-escaped and search matches the escaped name, so "Tea & Coffee" is not
  found by search and its create answers 400 term_exists with data.term_id.
- status future: kept with a future date_gmt, becomes publish with a past one or no date.
- `link`: the permalink once published, `?p=<id>` before (draft, pending, future).
- Slugs: saved without accents (`café-über` as `cafe-uber`) and looked up as sent (a list,
  comma-separated), so `?slug=café-über` finds nothing; a draft sent without a slug has none, a
  published post gets its title's.
- GET users?who=authors answers `authors` (only with context=edit, as WordPress); term lists
  are paged by per_page/page.
- `contributor` (as a real WordPress 6.1 answers one): a publish or future request is refused
  with 403 rest_cannot_publish and nothing is saved, an upload with 403 rest_cannot_create, and
  users/me lists no publish_posts (WordPress lists only the capabilities a user has).
- `hold_for_review`: a publish request is saved as pending (a review plugin; core never does).
- `unfiltered_html` (default on, an Editor or Administrator): off (an Author), users/me does not
  list the capability and a saved post loses its <script> tags but keeps the text inside them, as
  WordPress's kses does (seen on a real WordPress 6.1).
- `fail_next`: statuses answered (with Retry-After: 0) before the real handling, for retry tests.
- `after_create`: for the next creates of a post or page, the create is saved and then answered
  with this status instead (a proxy's 504), or not answered before the client gives up ("timeout":
  the answer comes `slow_seconds` late), as a WordPress behind a slow proxy does. `after_upload`
  does the same for media uploads.
- Media: an upload takes its slug from the query string (`?slug=`, as WordPress reads fields of a
  binary upload), else from the file name; GET /wp/v2/media?slug= finds it. An item's `post` (the
  post it is attached to) is null until POST /wp/v2/media/<id> {"post": <id>} sets it (0 detaches;
  another media item as the parent is a 400 "Invalid parent type."; a post id WordPress does not
  have is taken as it is); an unknown media id is a 404
  rest_post_invalid_id, on GET and POST, as WordPress answers. `refuse_attach`: that POST is a 403
  rest_cannot_edit (a user who may not edit the media item)."""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import time
import unicodedata
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def saved_slug(text: str) -> str:
    """What WordPress stores for a slug (sanitize_title, en_US): entities and accents removed,
    lower case, every run of other characters a single hyphen."""
    text = html.unescape(text).replace("ß", "ss")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain.lower()).strip("-")


class FakeWordPress:
    def __init__(self, *, user: str = "editor", password: str = "abcd efgh ijkl mnop"):
        self.user = user
        self.password = password.replace(" ", "")
        self.strip_auth = False
        self.https_only = False
        self.anonymous_bad_password = False
        self.contributor = False
        self.hold_for_review = False
        self.unfiltered_html = True
        self.seo_meta = True
        self.refuse_attach = False
        self.fail_next: list[int] = []
        self.after_create: list[int | str] = []
        self.after_upload: list[int | str] = []
        self.slow_seconds = 1.0
        self.posts: dict[int, dict] = {}
        self.media: dict[int, dict] = {}
        self.terms: dict[str, dict[int, dict]] = {"categories": {}, "tags": {}}
        # GET users?who=authors (edit context): the publish form's author picker.
        self.authors: list[dict] = [{"id": 1, "name": "Ed", "slug": user}]
        self.requests: list[tuple[str, str]] = []
        self._next_id = 100
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeWordPress:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_term(self, taxonomy: str, name: str) -> int:
        term_id = self.new_id()
        self.terms[taxonomy][term_id] = {"id": term_id, "name": html.escape(name), "raw": name}
        return term_id

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(prefix))

    # -- the HTTP side ----------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body, headers: dict | None = None):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "image/png" if isinstance(body, bytes) else "application/json"
                )
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: str, message: str, **data):
                self._send(status, {"code": code, "message": message, "data": {"status": status, **data}})

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _auth_error(self) -> bool:
                header = "" if fake.strip_auth else (self.headers.get("Authorization") or "")
                if not header.startswith("Basic "):
                    self._error(401, "rest_not_logged_in", "You are not currently logged in.")
                    return True
                if fake.https_only:
                    self._error(
                        401, "application_passwords_disabled", "Application passwords are not available."
                    )
                    return True
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                if user != fake.user:
                    self._error(401, "invalid_username", "Unknown username.")
                    return True
                if password.replace(" ", "") != fake.password and fake.anonymous_bad_password:
                    self._error(401, "rest_not_logged_in", "You are not currently logged in.")
                    return True
                if password.replace(" ", "") != fake.password:
                    self._error(
                        401, "incorrect_password", "The provided password is an invalid application password."
                    )
                    return True
                return False

            def _dispatch(self, method: str):
                parts = urlsplit(self.path)
                path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
                with fake.lock:
                    fake.requests.append((method, path))
                    if fake.fail_next:
                        status = fake.fail_next.pop(0)
                        return self._error(status, "busy", "Try again.") or None
                if path.startswith("/images/"):
                    return self._send(200, PNG)
                if path in ("/wp-json/", "/wp-json"):
                    return self._send(200, fake.index())
                if not path.startswith("/wp-json/wp/v2/"):
                    return self._error(
                        404, "rest_no_route", "No route was found matching the URL and request method."
                    )
                if self._auth_error():
                    return None
                route = path[len("/wp-json/wp/v2/") :].strip("/")
                with fake.lock:
                    status, body = fake.route(method, route, query, self.headers, self._body())
                    created = method == "POST" and status == 201
                    pending = {
                        "posts": fake.after_create,
                        "pages": fake.after_create,
                        "media": fake.after_upload,
                    }
                    waiting = pending.get(route) if created else None
                    then = waiting.pop(0) if waiting else None
                if then == "timeout":
                    time.sleep(fake.slow_seconds)  # saved; the client has given up by now
                elif then is not None:
                    return self._error(int(then), "gateway_timeout", "The upstream did not answer.")
                return self._send(status, body)

            def do_GET(self):
                self._dispatch("GET")

            def do_POST(self):
                self._dispatch("POST")

            def do_OPTIONS(self):
                self._dispatch("OPTIONS")

        return Handler

    def index(self) -> dict:
        body = {"name": "Fake WP", "url": self.url, "namespaces": ["oembed/1.0", "wp/v2", "yoast/v1"]}
        if not self.https_only:
            body["authentication"] = {"application-passwords": {"endpoints": {"authorization": "x"}}}
        return body

    def route(self, method: str, route: str, query: dict, headers, raw: bytes):
        data = (
            json.loads(raw) if raw and headers.get("Content-Type", "").startswith("application/json") else {}
        )
        if route == "users" and method == "GET":
            if query.get("who") == "authors" and query.get("context") != "edit":
                return 400, {"code": "rest_invalid_param", "message": "who needs context=edit.", "data": {}}
            return 200, self.authors
        if route == "users/me":
            held = {
                "edit_posts": True,
                "publish_posts": not self.contributor,
                "upload_files": not self.contributor,
                "unfiltered_html": self.unfiltered_html,
            }
            capabilities = {name: True for name, has in held.items() if has}
            return 200, {"id": 1, "slug": self.user, "name": "Ed", "capabilities": capabilities}
        if method == "OPTIONS" and route in ("posts", "pages"):
            meta = {"_yoast_wpseo_title": {"type": "string"}, "_yoast_wpseo_metadesc": {"type": "string"}}
            return 200, {"schema": {"properties": {"meta": {"properties": meta if self.seo_meta else {}}}}}
        if route == "media" and method == "POST" and self.contributor:
            return 403, {
                "code": "rest_cannot_create",
                "message": "Sorry, you are not allowed to create posts as this user.",
                "data": {"status": 403},
            }
        if route == "media" and method == "POST":
            match = re.search(r'filename="?([^";]+)"?', headers.get("Content-Disposition") or "")
            if not match:
                return 400, {
                    "code": "rest_upload_no_content_disposition",
                    "message": "No Content-Disposition supplied.",
                    "data": {"status": 400},
                }
            media_id = self.new_id()
            self.media[media_id] = {
                "id": media_id,
                "slug": query.get("slug") or match.group(1).rsplit(".", 1)[0].lower(),
                "source_url": f"{self.url}/wp-content/uploads/{match.group(1)}",
                "alt_text": "",
                "post": None,
                "size": len(raw),
            }
            return 201, self.media[media_id]
        if route == "media" and method == "GET":
            return 200, [item for item in self.media.values() if item["slug"] == query.get("slug")]
        if m := re.fullmatch(r"media/(\d+)", route):
            return self.media_item_route(method, int(m.group(1)), data)
        if route in self.terms:
            terms = self.terms[route]
            if method == "GET":
                needle = query.get("search", "").lower()
                size, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
                found = [
                    {"id": t["id"], "name": t["name"]} for t in terms.values() if needle in t["name"].lower()
                ]
                return 200, found[(page - 1) * size : page * size]
            existing = next((t for t in terms.values() if t["raw"].lower() == data["name"].lower()), None)
            if existing:
                return 400, {
                    "code": "term_exists",
                    "message": "A term with the name provided already exists.",
                    "data": {"status": 400, "term_id": existing["id"]},
                }
            term_id = self.add_term(route, data["name"])
            return 201, {"id": term_id, "name": self.terms[route][term_id]["name"]}
        if m := re.fullmatch(r"(posts|pages)(?:/(\d+))?", route):
            return self.posts_route(method, m.group(1), int(m.group(2)) if m.group(2) else None, query, data)
        return 404, {"code": "rest_no_route", "message": "No route.", "data": {"status": 404}}

    def media_item_route(self, method: str, media_id: int, data: dict):
        item = self.media.get(media_id)
        if item is None:
            return 404, {
                "code": "rest_post_invalid_id",
                "message": "Invalid post ID.",
                "data": {"status": 404},
            }
        if method == "GET":
            return 200, item
        if "post" in data and self.refuse_attach:
            return 403, {
                "code": "rest_cannot_edit",
                "message": "Sorry, you are not allowed to edit this post.",
                "data": {"status": 403},
            }
        if data.get("post") in self.media:
            return 400, {
                "code": "rest_invalid_param",
                "message": "Invalid parent type.",
                "data": {"status": 400},
            }
        item.update({k: data[k] for k in ("alt_text", "title") if k in data})
        if "post" in data:
            item["post"] = int(data["post"] or 0) or None  # WordPress answers null for no parent
        return 200, item

    def posts_route(self, method: str, kind: str, post_id: int | None, query: dict, data: dict):
        if method == "GET" and post_id is None:
            found = [
                p
                for p in self.posts.values()
                if p["type"] == kind[:-1] and p["slug"] in query.get("slug", "").split(",")
            ]
            return 200, found
        if post_id is not None and post_id not in self.posts:
            return 404, {
                "code": "rest_post_invalid_id",
                "message": "Invalid post ID.",
                "data": {"status": 404},
            }
        if method == "GET":
            return 200, self.posts[post_id]
        if self.contributor and data.get("status") in ("publish", "future", "private"):
            return 403, {
                "code": "rest_cannot_publish",
                "message": "Sorry, you are not allowed to publish posts in this post type.",
                "data": {"status": 403},
            }
        post = (
            self.posts[post_id]
            if post_id
            else {"id": self.new_id(), "type": kind[:-1], "slug": "", "meta": {}}
        )
        status = data.get("status", post.get("status", "draft"))
        date_gmt = data.get("date_gmt") or post.get("date_gmt")
        if status == "future":
            due = datetime.fromisoformat(date_gmt).replace(tzinfo=UTC) if date_gmt else None
            status = "future" if due and due > datetime.now(UTC) else "publish"
        if status == "publish" and self.hold_for_review:
            status = "pending"
        if "content" in data and not self.unfiltered_html:
            data = {**data, "content": re.sub(r"</?script\b[^>]*>", "", data["content"], flags=re.I)}
        post.update({k: v for k, v in data.items() if k not in ("title", "content", "excerpt", "meta")})
        for key in ("title", "content", "excerpt"):
            if key in data:
                post[key] = {
                    "raw": data[key],
                    "rendered": html.escape(data[key]) if key == "title" else data[key],
                }
        post["meta"].update(data.get("meta") or {})
        if data.get("slug"):
            post["slug"] = saved_slug(data["slug"])
        elif not post["slug"] and status == "publish":
            post["slug"] = saved_slug(post["title"]["raw"])  # a draft keeps none until published
        post["status"] = status
        post["date_gmt"] = date_gmt or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        # WordPress gives a post its permalink once published; before (draft, pending, future) the
        # link is ?p=<id> (seen on a real WordPress 6.1 with pretty permalinks).
        published = status == "publish"
        post["link"] = f"{self.url}/{post['slug']}/" if published else f"{self.url}/?p={post['id']}"
        self.posts[post["id"]] = post
        return (200 if post_id else 201), post
