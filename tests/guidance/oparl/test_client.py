"""guidance/oparl.py against the local OParl server: walking System → Body → Paper, the search, and
fetching that refuses what it must (other schemes, private addresses, redirects there, non-JSON,
oversized and slow answers)."""

import datetime
import time

import pytest

from guidance import oparl


def test_system_names_the_body_with_the_municipalitys_ags_and_its_paper_list(oparl_server):
    info = oparl.fetch_system(oparl_server.url("/oparl/system"), ags="05370000")
    assert info.name == "Ratsinformationssystem Kreis Heinsberg"
    assert info.body_name == "Kreis Heinsberg"
    assert info.paper_list_url == oparl_server.url("/oparl/body/0/papers/")


def test_paper_with_its_consultation_meeting_result_and_files(oparl_server):
    paper = oparl.fetch_paper(oparl_server.url("/oparl/paper/749"))
    assert paper.name == "Einrichtung eines Netzwerks Frühe Hilfen im Kreis Heinsberg"
    assert paper.reference == "0257/2024"
    assert paper.date == datetime.date(2024, 3, 14)
    assert paper.paper_type == "Beschlussvorlage"
    assert paper.web_url == oparl_server.url("/ris/vorlage/749")
    [consultation] = paper.consultations
    assert consultation["committee"] == "Jugendhilfeausschuss"
    assert consultation["meeting"] == "12. Sitzung des Jugendhilfeausschusses"
    assert consultation["meeting_date"] == "2024-04-18"
    assert consultation["result"] == "Beschlossen"
    assert consultation["role"] == "Beschlussfassung" and consultation["authoritative"] is True
    assert [f["name"] for f in paper.files] == ["Beschlussvorlage 0257/2024", "Anlage 1 zur Anfrage"]
    assert paper.files[0]["url"].endswith("/files/57737.pdf")
    assert paper.snapshot["id"] == oparl_server.url("/oparl/paper/749")


def test_result_is_read_from_the_agenda_item_when_the_meeting_does_not_embed_it(oparl_server):
    oparl_server.meeting["agendaItem"] = []
    oparl_server.set_result("Vertagt")
    [consultation] = oparl.fetch_paper(oparl_server.url("/oparl/paper/749")).consultations
    assert consultation["result"] == "Vertagt"
    assert "/oparl/agendaitem/15569" in oparl_server.requests


def test_search_by_text_reads_both_pages_of_the_list(oparl_server):
    result = oparl.search_papers(oparl_server.url("/oparl/body/0/papers/"), text="frühe hilfen")
    assert [hit.reference for hit in result.hits] == ["0257/2024", "0031/2025"]
    assert result.pages_read == 2 and result.complete


def test_search_by_reference_and_date_range(oparl_server):
    url = oparl_server.url("/oparl/body/0/papers/")
    in_2024 = oparl.search_papers(url, text="Frühe Hilfen", date_from=datetime.date(2024, 3, 1),
                                  date_to=datetime.date(2024, 12, 31))
    assert [hit.name for hit in in_2024.hits] == ["Einrichtung eines Netzwerks Frühe Hilfen im Kreis Heinsberg"]
    # The date range narrows the list on the server (modified_since), not only here.
    assert any("modified_since=2024-03-01" in path for path in oparl_server.requests)
    by_reference = oparl.search_papers(url, text="0012/2024")
    assert [hit.name for hit in by_reference.hits] == ["Haushaltssatzung 2024"]
    assert oparl.search_papers(url, text="Kita-Ausbau").hits == []


def test_search_stops_after_the_page_limit(oparl_server):
    result = oparl.search_papers(oparl_server.url("/oparl/body/0/papers/"), text="Frühe Hilfen", max_pages=1)
    assert [hit.reference for hit in result.hits] == ["0257/2024"]
    assert not result.complete


def test_a_redirect_within_the_allowed_networks_is_followed(oparl_server):
    assert oparl.fetch_paper(oparl_server.url("/redirect-paper")).reference == "0257/2024"


# --- Refusals ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example.org/paper.json", "gopher://x/",
                                 "javascript:alert(1)", "http://", "http://user:pw@example.org/oparl"])
def test_only_plain_http_and_https_addresses(url, settings):
    settings.OPARL_ALLOW_PRIVATE_HOSTS = True
    with pytest.raises(oparl.OParlError):
        oparl.fetch_json(url)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/oparl/system", "http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://224.0.0.1/",
])
def test_private_loopback_and_reserved_addresses_are_refused(url, settings):
    settings.OPARL_ALLOW_PRIVATE_HOSTS = False
    started = time.monotonic()
    with pytest.raises(oparl.OParlError, match="privat|private"):
        oparl.fetch_json(url)
    assert time.monotonic() - started < 1


def test_the_loopback_server_itself_is_refused_when_not_allowed(oparl_server, settings):
    settings.OPARL_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(oparl.OParlError):
        oparl.fetch_paper(oparl_server.url("/oparl/paper/749"))
    assert oparl_server.requests == []


def test_other_private_networks_stay_refused_while_loopback_is_allowed(oparl_server):
    with pytest.raises(oparl.OParlError, match="privat|private"):
        oparl.fetch_json("http://10.0.0.1/oparl/paper/749")


def test_a_redirect_to_a_private_address_is_refused(oparl_server):
    with pytest.raises(oparl.OParlError, match="privat|private"):
        oparl.fetch_paper(oparl_server.url("/redirect-private"))


def test_endless_redirects_are_refused(oparl_server):
    with pytest.raises(oparl.OParlError):
        oparl.fetch_paper(oparl_server.url("/redirect-loop"))
    assert oparl_server.requests.count("/redirect-loop") == oparl.MAX_REDIRECTS + 1


def test_a_web_page_instead_of_json_is_refused(oparl_server):
    with pytest.raises(oparl.OParlError, match="JSON"):
        oparl.fetch_paper(oparl_server.url("/html"))


def test_an_oversized_answer_is_refused(oparl_server, settings):
    settings.OPARL_MAX_BYTES = 100_000
    with pytest.raises(oparl.OParlError):
        oparl.fetch_paper(oparl_server.url("/big"))


def test_a_slow_system_runs_into_the_time_limit(oparl_server, settings):
    settings.OPARL_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(oparl.OParlError):
        oparl.fetch_paper(oparl_server.url("/slow"))
    assert time.monotonic() - started < 1.5


def test_broken_json_and_missing_objects_are_refused(oparl_server):
    with pytest.raises(oparl.OParlError, match="JSON"):
        oparl.fetch_paper(oparl_server.url("/broken"))
    with pytest.raises(oparl.OParlError, match="404"):
        oparl.fetch_paper(oparl_server.url("/oparl/paper/999"))


def test_an_object_of_another_kind_is_not_taken_for_a_paper(oparl_server):
    with pytest.raises(oparl.OParlError):
        oparl.fetch_paper(oparl_server.url("/oparl/meeting/243"))


# --- Where the connection goes ---------------------------------------------------------------------------
def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(oparl_server, monkeypatch, settings):
    """A name is resolved once; the request goes to that address and names the host in its header."""
    settings.OPARL_BLOCK_PUBLIC_HOSTS = False  # the name is resolved here, to the local server
    port = oparl_server.httpd.server_address[1]
    lookups = []

    def resolve(host, *args, **kwargs):
        lookups.append(host)
        return [(2, 1, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(oparl.socket, "getaddrinfo", resolve)
    paper = oparl.fetch_json(f"http://ris.beispiel.test:{port}/oparl/paper/749")
    assert paper["reference"] == "0257/2024"
    # The name once; the connection itself only "resolves" the checked address.
    assert lookups.count("ris.beispiel.test") == 1 and set(lookups) <= {"ris.beispiel.test", "127.0.0.1"}
    assert oparl_server.hosts == [f"ris.beispiel.test:{port}"]


def test_a_public_address_is_taken_when_public_hosts_are_not_blocked(settings, monkeypatch):
    settings.OPARL_BLOCK_PUBLIC_HOSTS = False
    monkeypatch.setattr(oparl.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443))])
    target = oparl.check_url("https://ris.example.de/oparl/v1/system?body=1#frag")
    assert (target.host, target.address, target.port, target.path) == (
        "ris.example.de", "93.184.216.34", 443, "/oparl/v1/system?body=1")


def test_a_name_resolving_to_a_private_address_among_public_ones_is_refused(settings, monkeypatch):
    settings.OPARL_BLOCK_PUBLIC_HOSTS = False
    monkeypatch.setattr(oparl.socket, "getaddrinfo", lambda *a, **k: [
        (2, 1, 6, "", ("93.184.216.34", 443)), (2, 1, 6, "", ("10.0.0.5", 443))])
    with pytest.raises(oparl.OParlError, match="privat|private"):
        oparl.check_url("https://ris.example.de/")


def test_tests_never_look_up_or_reach_a_public_host(monkeypatch):
    def no_lookup(*args, **kwargs):
        raise AssertionError("no name may be looked up")

    monkeypatch.setattr(oparl.socket, "getaddrinfo", no_lookup)
    with pytest.raises(oparl.OParlError):
        oparl.fetch_json("https://ris.example.de/oparl/v1/system")
    monkeypatch.undo()
    with pytest.raises(oparl.OParlError):
        oparl.fetch_json("http://93.184.216.34/")
