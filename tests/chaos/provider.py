"""A slow OpenAI-compatible chat completions server on a loopback port that counts the calls per
item: the independent witness of "at most one provider call per item" in the chaos tests (the
engine's own item rows are what is under test, so they cannot be the proof)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.openai_fakes import chat_completion

# What the test functions ask: "Write item 7" (tests/ai/fakes.py), "generate_content 12" (a
# writer task, tests/automation/fakes.py). The whole match names the item.
ITEM = re.compile(r"Write item \d+|generate_content \d+")
# One answer that both test functions' output schemas accept (extra keys are ignored).
ANSWER = '{"title": "T", "tags": [], "ok": true}'


class SlowProvider:
    """Each call takes `seconds` and is counted under the item its prompt names ("" when none)."""

    def __init__(self, *, seconds: float):
        self.seconds = seconds
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                text = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
                found = ITEM.search(text)
                with provider.lock:
                    provider.calls[found.group(0) if found else ""] += 1
                time.sleep(provider.seconds)
                answer = json.dumps(chat_completion(ANSWER)).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the worker was killed while we slept
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    def counted(self) -> Counter[str]:
        with self.lock:
            return Counter(self.calls)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
