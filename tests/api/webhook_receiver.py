"""A webhook receiver on a loopback port for the API tests: records every delivery and
answers the queued statuses in turn, then 200 (optionally slowly, or with a Location)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.hang = 0.0  # seconds to wait before answering
        self.location: str | None = None
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.arrivals = 0  # requests received, counted before any hang
        self.delivered = threading.Event()  # set on the first 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.arrivals += 1
                time.sleep(receiver.hang)
                receiver.deliveries.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()
                if status == 200:
                    receiver.delivered.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

