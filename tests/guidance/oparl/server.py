"""A small OParl 1.1 server of our own on 127.0.0.1, serving the specification's example objects
(../shared/oparl-1.1/examples, copied to ``examples/``) with their ids rewritten to this server. The tests
never reach the internet.

System → body list → Body (AGS of Kreis Heinsberg) → paper list in two pages → Paper 749 with one
consultation → Meeting 243 (with its agenda item) → AgendaItem 15569 (the result) and Organization 96.
Extra paths misbehave on purpose: redirects, HTML, oversized and slow answers, broken JSON.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

EXAMPLES = Path(__file__).resolve().parent / "examples"
EXAMPLE_ORIGIN = "https://oparl.example.org"


def _example(name: str, base: str) -> dict:
    text = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text.replace(EXAMPLE_ORIGIN, base))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that gave up (time limit, size limit)
        pass


class OParlServer:
    def __init__(self) -> None:
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.oparl = self.base + "/oparl"
        self.objects: dict[str, dict] = {}
        self.requests: list[str] = []
        self.hosts: list[str] = []
        self.slow_seconds = 2.0
        self._build()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- the data, from the specification's examples
    def _build(self) -> None:
        o = self.oparl
        system = _example("System-01", o)
        system.update({"id": f"{o}/system", "body": f"{o}/bodies", "name": "Ratsinformationssystem Kreis Heinsberg"})
        system.pop("otherOparlVersions", None)
        body = _example("Body-01", o)
        body.update({"id": f"{o}/body/0", "system": f"{o}/system", "ags": "05370000", "name": "Kreis Heinsberg",
                     "shortName": "Heinsberg", "paper": f"{o}/body/0/papers/"})
        organization = _example("Organization-01", o)
        organization.update({"id": f"{o}/organization/96", "name": "Jugendhilfeausschuss",
                             "shortName": "JHA"})
        meeting = _example("Meeting-01", o)
        agenda_item = copy.deepcopy(meeting["agendaItem"][0])
        agenda_item.update({
            "id": f"{o}/agendaitem/15569", "meeting": f"{o}/meeting/243", "number": "7",
            "name": "Einrichtung eines Netzwerks Frühe Hilfen", "consultation": f"{o}/consultation/47594",
            "result": "Beschlossen",
        })
        meeting.update({"id": f"{o}/meeting/243", "name": "12. Sitzung des Jugendhilfeausschusses",
                        "start": "2024-04-18T17:00:00+02:00", "end": "2024-04-18T19:00:00+02:00",
                        "organization": [f"{o}/organization/96"], "agendaItem": [agenda_item]})
        paper = _example("Paper-01", o)
        paper.update({"id": f"{o}/paper/749", "body": f"{o}/body/0",
                      "name": "Einrichtung eines Netzwerks Frühe Hilfen im Kreis Heinsberg",
                      "reference": "0257/2024", "date": "2024-03-14", "paperType": "Beschlussvorlage",
                      "web": f"{self.base}/ris/vorlage/749", "modified": "2024-04-19T08:00:00+02:00"})
        paper["consultation"][0].update({
            "id": f"{o}/consultation/47594", "agendaItem": f"{o}/agendaitem/15569", "meeting": f"{o}/meeting/243",
            "organization": [f"{o}/organization/96"], "authoritative": True, "role": "Beschlussfassung",
        })
        paper["mainFile"]["name"] = "Beschlussvorlage 0257/2024"
        other = _example("Paper-01", o)  # the example as it is: an answer to an inquiry of 2014
        other.update({"id": f"{o}/paper/700", "consultation": [], "modified": "2014-04-05T10:00:00+02:00"})
        budget = copy.deepcopy(other)
        budget.update({"id": f"{o}/paper/701", "name": "Haushaltssatzung 2024", "reference": "0012/2024",
                       "date": "2024-01-10", "paperType": "Beschlussvorlage",
                       "modified": "2024-01-11T10:00:00+01:00"})
        report = copy.deepcopy(other)
        report.update({"id": f"{o}/paper/751", "name": "Bericht aus dem Netzwerk Frühe Hilfen",
                       "reference": "0031/2025", "date": "2025-02-01", "paperType": "Mitteilungsvorlage",
                       "modified": "2025-02-02T10:00:00+01:00"})
        self.paper, self.agenda_item, self.meeting = paper, agenda_item, meeting
        self.objects = {
            "/oparl/system": system,
            "/oparl/body/0": body,
            "/oparl/organization/96": organization,
            "/oparl/meeting/243": meeting,
            "/oparl/agendaitem/15569": agenda_item,
            "/oparl/paper/749": paper,
            "/oparl/paper/751": report,
        }
        self.lists = {
            "/oparl/bodies": [[body]],
            "/oparl/body/0/papers/": [[other, budget, paper], [report]],
        }

    def set_result(self, result: str) -> None:
        """The council records another result (the meeting embeds the same agenda item)."""
        self.agenda_item["result"] = result

    # --- serving
    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
                      headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                server.requests.append(self.path)
                server.hosts.append(self.headers.get("Host", ""))
                path, params = parts.path, parse_qs(parts.query)
                if path in server.objects:
                    return self._send(200, json.dumps(server.objects[path]).encode())
                if path in server.lists:
                    return self._send(200, json.dumps(server.page(path, params)).encode())
                if path == "/redirect-private":
                    return self._send(302, headers={"Location": "http://10.0.0.1/oparl/paper/749"})
                if path == "/redirect-paper":
                    return self._send(302, headers={"Location": "/oparl/paper/749"})
                if path == "/redirect-loop":
                    return self._send(302, headers={"Location": "/redirect-loop"})
                if path == "/html":
                    return self._send(200, b"<!doctype html><title>RIS</title>", "text/html; charset=utf-8")
                if path == "/big":
                    filler = "x" * (3 * 1024 * 1024)
                    return self._send(200, json.dumps({"type": "https://schema.oparl.org/1.1/Paper",
                                                       "name": filler}).encode())
                if path == "/broken":
                    return self._send(200, b'{"type": "https://schema.oparl.org/1.1/Paper", "name": ')
                if path == "/slow":
                    time.sleep(server.slow_seconds)
                    return self._send(200, json.dumps(server.paper).encode())
                return self._send(404, b'{"error": "not found"}')

        return Handler

    def page(self, path: str, params: dict) -> dict:
        pages = self.lists[path]
        since = (params.get("modified_since") or [""])[0]
        number = int((params.get("page") or ["1"])[0])
        items = [item for item in pages[number - 1] if not since or item.get("modified", "") >= since]
        links: dict = {}
        if number < len(pages):
            query = f"page={number + 1}" + (f"&modified_since={quote(since)}" if since else "")
            links["next"] = f"{self.base}{path}?{query}"
        return {"data": items, "pagination": {"currentPage": number, "totalPages": len(pages)}, "links": links}

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> OParlServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
