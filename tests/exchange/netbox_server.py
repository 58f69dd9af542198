"""A local stand-in for NetBox's REST API, serving the recorded objects of ``netbox_api/``.

Pages like NetBox: ``limit``/``offset`` query parameters (``limit=0`` or none means the
largest page), at most ``max_page_size`` objects per page, and ``count``/``next``/
``previous``/``results`` bodies whose links point back at this server. Requests without
the expected ``Authorization: Token ...`` header get NetBox's 403. Every request path
is recorded for the tests to inspect.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

FIXTURES = Path(__file__).with_name("netbox_api")
API_VERSION = "4.2"


class FakeNetbox:
    """Serve ``netbox_api/*.json`` on 127.0.0.1 (an ephemeral port) in a background thread."""

    def __init__(self, token: str, max_page_size: int = 2) -> None:
        self.token = token
        self.max_page_size = max_page_size
        self.requests: list[str] = []
        self.authorizations: list[str | None] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval: shutdown() waits for the loop to look up (0.5 s by default).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def __enter__(self) -> FakeNetbox:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def objects(self, path: str) -> list[dict[str, Any]] | None:
        """The recorded objects of ``/api/<app>/<endpoint>/``, or None for an unknown path."""
        parts = [p for p in path.split("/") if p]
        if len(parts) != 3 or parts[0] != "api":
            return None
        file = FIXTURES / f"{parts[1]}_{parts[2]}.json"
        if not file.is_file():
            return None
        return json.loads(file.read_text(encoding="utf-8").replace("{base}", self.url))

    def page(self, path: str, query: dict[str, list[str]], objects: list[dict[str, Any]]) -> dict[str, Any]:
        limit = int(query.get("limit", ["0"])[0]) or self.max_page_size
        limit = min(limit, self.max_page_size)
        offset = int(query.get("offset", ["0"])[0])

        def link(at: int) -> str:
            return f"{self.url}{path}?{urlencode({'limit': limit, 'offset': at})}"

        return {
            "count": len(objects),
            "next": link(offset + limit) if offset + limit < len(objects) else None,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
            "results": objects[offset:offset + limit],
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        netbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # (the http.server API)
                parts = urlsplit(self.path)
                netbox.requests.append(self.path)
                auth = self.headers.get("Authorization")
                netbox.authorizations.append(auth)
                if auth not in (f"Token {netbox.token}", f"Bearer {netbox.token}"):
                    return self._send(403, {"detail": "Invalid token"})
                if parts.path == "/api/":
                    return self._send(200, {"dcim": f"{netbox.url}/api/dcim/"})
                objects = netbox.objects(parts.path)
                if objects is None:
                    return self._send(404, {"detail": "Not found."})
                return self._send(200, netbox.page(parts.path, parse_qs(parts.query), objects))

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("API-Version", API_VERSION)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        return Handler
