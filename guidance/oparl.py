"""A small, careful client of OParl 1.1, the interface German councils publish their papers, meetings
and decisions through (System → Body → Paper, Meeting, Consultation, AgendaItem, File).

Fetching is safe by construction, because the addresses come from users:

* only ``http`` and ``https``; no user name or password in the address;
* the host is resolved once and every address it resolves to must be public (no private, loopback,
  link-local, reserved, multicast or unspecified address) unless ``settings.OPARL_ALLOW_PRIVATE_HOSTS``
  says otherwise (``True``: all; a list of networks such as ``["127.0.0.0/8"]``: those; tests only);
* the connection goes to the checked address (the host name stays in the ``Host`` header and in TLS's
  SNI and certificate check), so a second DNS answer cannot point elsewhere;
* at most three redirects, each checked like the first address;
* ``settings.OPARL_BLOCK_PUBLIC_HOSTS`` (the test settings) refuses every public address and looks up
  no host name: tests never reach the internet;
* one time limit for the whole request (``OPARL_TIMEOUT`` seconds), a size limit read incrementally
  (``OPARL_MAX_BYTES``), JSON only (by ``Content-Type`` and by parsing);
* a bounded number of requests per task (``OParlClient.max_requests``).

Every failure is an :class:`OParlError` with a German message for the person who asked.

OParl 1.1 has no full-text search: :func:`search_papers` reads a bounded number of pages of the body's
paper list (narrowed by ``modified_since`` where the date range allows) and filters them here.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
MAX_REQUESTS = 60
MAX_CONSULTATIONS = 12
MAX_FILES = 30
SEARCH_MAX_PAGES = 5
SEARCH_MAX_PAPERS = 500
SEARCH_MAX_RESULTS = 25
SNAPSHOT_MAX_CHARS = 200_000
TEXT_MAX = 500
USER_AGENT = "StarkesNetz-Portal (OParl-Client)"
REDIRECT_CODES = {301, 302, 303, 307, 308}


class OParlError(Exception):
    """A council information system could not be read; ``str(error)`` is the message for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- Safe fetching -------------------------------------------------------------------------------------
def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _allowed_private_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """``None``: every address is allowed; otherwise the non-public networks that are."""
    allow = _setting("OPARL_ALLOW_PRIVATE_HOSTS", False)
    if allow is True:
        return None
    if not allow:
        return []
    return [ipaddress.ip_network(str(net), strict=False) for net in allow]


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _is_public(mapped)
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
        or ip.is_unspecified or not ip.is_global
    )


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


def check_url(url: str) -> _Target:
    """The checked target of ``url``: scheme, host, port, the public address to connect to, path."""
    if not isinstance(url, str) or len(url) > 2000:
        raise OParlError(_("Please enter a complete web address starting with https://."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise OParlError(_("Please enter a complete web address starting with https://.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OParlError(_("Only web addresses starting with http:// or https:// can be read."))
    if parts.username is not None or parts.password is not None:
        raise OParlError(_("Web addresses with a user name or password are not read."))
    host = parts.hostname or ""
    if not host:
        raise OParlError(_("Please enter a complete web address starting with https://."))
    port = port or (443 if scheme == "https" else 80)
    offline = bool(_setting("OPARL_BLOCK_PUBLIC_HOSTS", False))
    if offline and host != "localhost" and not _is_ip_literal(host):
        # Tests: no name is looked up, nothing on the internet is read.
        raise OParlError(_("In this environment the portal reads no council information system on the internet."))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise OParlError(_("The address %(host)s could not be found. Please check it.") % {"host": host}) from error
    addresses = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        except ValueError:
            continue
    if not addresses:
        raise OParlError(_("The address %(host)s could not be found. Please check it.") % {"host": host})
    allowed = _allowed_private_networks()
    for ip in addresses:
        if _is_public(ip):
            if offline:
                raise OParlError(
                    _("In this environment the portal reads no council information system on the internet.")
                )
        elif allowed is not None and not any(ip in net for net in allowed):
            raise OParlError(_(
                "The address %(host)s points to a private or local network. The portal only reads "
                "council information systems on the public internet."
            ) % {"host": host})
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return _Target(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the host name stays in the ``Host`` header."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address; the host name is used for SNI and the certificate check."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def fetch_json(url: str) -> Any:
    """The JSON document at ``url``, fetched under the rules above."""
    timeout = float(_setting("OPARL_TIMEOUT", DEFAULT_TIMEOUT))
    max_bytes = int(_setting("OPARL_MAX_BYTES", DEFAULT_MAX_BYTES))
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = check_url(current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OParlError(_("The council information system did not answer in time. Please try again later."))
        cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        connection = cls(target.host, target.port, address=target.address, timeout=remaining)
        try:
            connection.request("GET", target.path, headers={
                "Accept": "application/json", "User-Agent": USER_AGENT, "Accept-Encoding": "identity",
            })
            response = connection.getresponse()
            if response.status in REDIRECT_CODES:
                location = response.getheader("Location")
                if not location:
                    raise OParlError(_("The council information system answered with an incomplete redirect."))
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise OParlError(_(
                    "The council information system answered with the error %(status)s. Please check the "
                    "address."
                ) % {"status": response.status})
            if not _is_json(response.getheader("Content-Type", "")):
                raise OParlError(_(
                    "The address does not return OParl data (JSON). Please enter the address of the OParl "
                    "interface, not of the web page."
                ))
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_large()
            body = bytearray()
            while True:
                if time.monotonic() > deadline:
                    raise OParlError(
                        _("The council information system did not answer in time. Please try again later.")
                    )
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise _too_large()
        except OParlError:
            raise
        except TimeoutError as error:
            raise OParlError(
                _("The council information system did not answer in time. Please try again later.")
            ) from error
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise OParlError(_(
                "The council information system could not be reached (%(host)s). Please check the address or "
                "try again later."
            ) % {"host": target.host}) from error
        finally:
            connection.close()
        try:
            return json.loads(bytes(body).decode("utf-8"))
        except (ValueError, RecursionError) as error:
            raise OParlError(_("The council information system returned data that are not valid JSON.")) from error
    raise OParlError(_("The council information system redirected too often."))


def _too_large() -> OParlError:
    return OParlError(_("The answer of the council information system is too large to be read."))


# --- OParl objects --------------------------------------------------------------------------------------
def _text(value: Any, limit: int = TEXT_MAX) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _url(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) <= 500:
        return value
    return ""


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _type_is(obj: Any, name: str) -> bool:
    kind = obj.get("type") if isinstance(obj, dict) else None
    return isinstance(kind, str) and kind.rstrip("/").rsplit("/", 1)[-1] == name


@dataclass
class SystemInfo:
    entry_url: str
    name: str
    body_url: str
    body_name: str
    paper_list_url: str


@dataclass
class PaperData:
    url: str
    web_url: str
    name: str
    reference: str
    date: datetime.date | None
    paper_type: str
    consultations: list[dict[str, Any]]
    files: list[dict[str, str]]
    snapshot: dict[str, Any]


@dataclass
class PaperHit:
    url: str
    name: str
    reference: str
    date: datetime.date | None
    paper_type: str


@dataclass
class SearchResult:
    hits: list[PaperHit] = field(default_factory=list)
    pages_read: int = 0
    papers_read: int = 0
    complete: bool = True


class OParlClient:
    """One task's requests: cached by URL and bounded in number."""

    def __init__(self, *, max_requests: int = MAX_REQUESTS):
        self.max_requests = max_requests
        self.requests = 0
        self._cache: dict[str, Any] = {}

    def get(self, url: str) -> Any:
        if url in self._cache:
            return self._cache[url]
        if self.requests >= self.max_requests:
            raise OParlError(_("The council information system needs too many requests for this task."))
        self.requests += 1
        data = fetch_json(url)
        self._cache[url] = data
        return data

    def get_object(self, url: str, kind: str) -> dict[str, Any]:
        data = self.get(url)
        if not _type_is(data, kind):
            raise OParlError(_("The address does not lead to an OParl object of the expected kind (%(kind)s).")
                             % {"kind": kind})
        return data

    def resolve(self, value: Any, kind: str) -> dict[str, Any] | None:
        """An embedded object as it is, a URL fetched; ``None`` for anything else."""
        if isinstance(value, dict):
            return value
        url = _url(value)
        return self.get_object(url, kind) if url else None


def fetch_system(entry_url: str, *, ags: str = "", client: OParlClient | None = None) -> SystemInfo:
    """The system at ``entry_url`` and its body: the one whose AGS is ``ags``, else the first."""
    client = client or OParlClient()
    system = client.get_object(entry_url, "System")
    body_list_url = _url(system.get("body"))
    if not body_list_url:
        raise OParlError(_("The OParl system does not name its bodies."))
    chosen: dict[str, Any] | None = None
    first: dict[str, Any] | None = None
    for body in _list_items(client, body_list_url, max_pages=3):
        if not _type_is(body, "Body"):
            continue
        first = first or body
        if ags and isinstance(body.get("ags"), str) and body["ags"].strip() == ags:
            chosen = body
            break
    chosen = chosen or first
    if chosen is None:
        raise OParlError(_("The OParl system lists no body (municipality)."))
    paper_list_url = _url(chosen.get("paper"))
    if not paper_list_url:
        raise OParlError(_("The body in the OParl system has no list of papers."))
    return SystemInfo(
        entry_url=entry_url, name=_text(system.get("name"), 200) or entry_url[:200],
        body_url=_url(chosen.get("id")), body_name=_text(chosen.get("name"), 200),
        paper_list_url=paper_list_url,
    )


def _list_items(client: OParlClient, url: str, *, max_pages: int) -> Iterable[dict[str, Any]]:
    """The objects of a paged OParl list, at most ``max_pages`` pages."""
    seen: set[str] = set()
    current = url
    for _page in range(max_pages):
        if current in seen:
            return
        seen.add(current)
        page = client.get(current)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise OParlError(_("The council information system returned a list in an unknown format."))
        for item in page["data"]:
            if isinstance(item, dict):
                yield item
        links = page.get("links")
        following = _url(links.get("next")) if isinstance(links, dict) else ""
        if not following:
            return
        current = following


def _file(obj: Any) -> dict[str, str] | None:
    if not isinstance(obj, dict):
        return None
    url = _url(obj.get("accessUrl")) or _url(obj.get("downloadUrl"))
    if not url:
        return None
    return {
        "name": _text(obj.get("name"), 300) or _text(obj.get("fileName"), 300) or url[:300],
        "url": url, "mime_type": _text(obj.get("mimeType"), 100),
    }


def _consultation(client: OParlClient, obj: dict[str, Any]) -> dict[str, Any]:
    meeting = client.resolve(obj.get("meeting"), "Meeting")
    organizations = _list(obj.get("organization"))
    committee = ""
    for organization in organizations[:3]:
        org = client.resolve(organization, "Organization")
        if org:
            committee = _text(org.get("name"), 200) or _text(org.get("shortName"), 200)
            break
    if not committee and meeting:
        committee = _text(meeting.get("name"), 200)
    result = ""
    agenda_ref = obj.get("agendaItem")
    agenda_url = agenda_ref.get("id") if isinstance(agenda_ref, dict) else agenda_ref
    agenda: dict[str, Any] | None = None
    if meeting and isinstance(meeting.get("agendaItem"), list):
        agenda = next((item for item in meeting["agendaItem"]
                       if isinstance(item, dict) and agenda_url and item.get("id") == agenda_url), None)
    if agenda is None:
        agenda = client.resolve(agenda_ref, "AgendaItem")
    if agenda:
        result = _text(agenda.get("result"), 300)
    meeting_date = _date(meeting.get("start")) if meeting else None
    return {
        "url": _url(obj.get("id")),
        "committee": committee,
        "meeting": _text(meeting.get("name"), 300) if meeting else "",
        "meeting_url": _url(meeting.get("web")) or _url(meeting.get("id")) if meeting else "",
        "meeting_date": meeting_date.isoformat() if meeting_date else "",
        "role": _text(obj.get("role"), 200),
        "authoritative": obj.get("authoritative") is True,
        "result": result,
    }


def _snapshot(paper: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(paper, ensure_ascii=False)
    if len(text) <= SNAPSHOT_MAX_CHARS:
        return paper
    keep = ("id", "type", "name", "reference", "date", "paperType", "web", "consultation", "mainFile",
            "modified", "created")
    return {key: paper[key] for key in keep if key in paper} | {"truncated": True}


def fetch_paper(url: str, *, client: OParlClient | None = None) -> PaperData:
    """The paper at ``url`` with its consultations (committee, meeting, date, result) and files."""
    client = client or OParlClient()
    paper = client.get_object(url, "Paper")
    if paper.get("deleted") is True:
        raise OParlError(_("The council information system marks this paper as deleted."))
    name = _text(paper.get("name"))
    if not name:
        raise OParlError(_("The paper in the council information system has no name."))
    consultations = [
        _consultation(client, obj)
        for obj in _list(paper.get("consultation"))[:MAX_CONSULTATIONS]
        if isinstance(obj, dict)
    ]
    consultations.sort(key=lambda c: c["meeting_date"] or "9999")
    files = []
    main = _file(paper.get("mainFile"))
    if main:
        files.append(main)
    for obj in _list(paper.get("auxiliaryFile"))[:MAX_FILES]:
        item = _file(obj)
        if item and item["url"] not in {f["url"] for f in files}:
            files.append(item)
    return PaperData(
        url=_url(paper.get("id")) or url, web_url=_url(paper.get("web")), name=name,
        reference=_text(paper.get("reference"), 100), date=_date(paper.get("date")),
        paper_type=_text(paper.get("paperType"), 200), consultations=consultations, files=files,
        snapshot=_snapshot(paper),
    )


def _with_params(url: str, params: dict[str, str]) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = (parts.query + "&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def search_papers(paper_list_url: str, *, text: str = "", date_from: datetime.date | None = None,
                  date_to: datetime.date | None = None, max_pages: int = SEARCH_MAX_PAGES,
                  max_results: int = SEARCH_MAX_RESULTS, client: OParlClient | None = None) -> SearchResult:
    """Papers of the list whose name or reference contains ``text`` and whose date lies in the range.

    The list is read from its first page, at most ``max_pages`` pages and ``SEARCH_MAX_PAPERS`` papers;
    ``modified_since`` narrows it to papers changed since ``date_from`` (a paper dated in the range was
    changed since then). ``complete`` tells whether the whole list was read.
    """
    client = client or OParlClient()
    params = {}
    if date_from:
        params["modified_since"] = f"{date_from.isoformat()}T00:00:00+00:00"
    needle = text.casefold().strip()
    result = SearchResult()
    seen: set[str] = set()
    current = _with_params(paper_list_url, params)
    for _page in range(max_pages):
        if current in seen:
            break
        seen.add(current)
        page = client.get(current)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise OParlError(_("The council information system returned a list in an unknown format."))
        result.pages_read += 1
        for item in page["data"]:
            if not isinstance(item, dict) or not _type_is(item, "Paper") or item.get("deleted") is True:
                continue
            result.papers_read += 1
            hit = PaperHit(url=_url(item.get("id")), name=_text(item.get("name")),
                           reference=_text(item.get("reference"), 100), date=_date(item.get("date")),
                           paper_type=_text(item.get("paperType"), 200))
            if not hit.url:
                continue
            if needle and needle not in hit.name.casefold() and needle not in hit.reference.casefold():
                continue
            if date_from and (hit.date is None or hit.date < date_from):
                continue
            if date_to and (hit.date is None or hit.date > date_to):
                continue
            result.hits.append(hit)
        links = page.get("links")
        following = _url(links.get("next")) if isinstance(links, dict) else ""
        if not following:
            return _bounded(result, max_results)
        if result.papers_read >= SEARCH_MAX_PAPERS:
            break
        current = following
    result.complete = False
    return _bounded(result, max_results)


def _bounded(result: SearchResult, max_results: int) -> SearchResult:
    if len(result.hits) > max_results:
        result.hits = result.hits[:max_results]
        result.complete = False
    return result
