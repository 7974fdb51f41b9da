"""A loopback HTTP listener that records what reaches it: the proof that a request was (or was
never) sent, with which headers; and a port that never answers. Binds 127.0.0.x only and stops
after the test."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Listener:
    def __init__(self, *, host: str = "127.0.0.1", answer: dict | None = None, redirect_to: str = ""):
        self.received: list[dict] = []
        self.answer = answer if answer is not None else {"object": "list", "data": []}
        self.redirect_to = redirect_to
        self.server = ThreadingHTTPServer((host, 0), self._handler())
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _handler(self):
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                listener.received.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                if listener.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", listener.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps(listener.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _any

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def authorizations(self) -> list[str]:
        return [request["headers"].get("authorization", "") for request in self.received]


class SilentPort:
    """A port that accepts connections (the listen backlog does the accepting) and never says a
    byte: a server that hangs. `connections()` counts those that reached it since the last call."""

    def __init__(self, *, host: str = "127.0.0.1"):
        self.socket = socket.socket()
        self.socket.bind((host, 0))
        self.socket.listen(16)
        self.socket.settimeout(0)
        self.host, self.port = host, self.socket.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.socket.accept()
            except BlockingIOError:
                return count
            count += 1
            conn.close()

    def __enter__(self) -> SilentPort:
        return self

    def __exit__(self, *exc) -> None:
        self.socket.close()
