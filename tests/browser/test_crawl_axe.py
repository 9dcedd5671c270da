"""Crawl every reachable page as each role: axe-core checks it, and nothing on it comes from a
third-party host.

Links are followed from the home page within the portal, the Django admin included; each URL pattern
is checked once per role, downloads are skipped. Every page added later is checked too, as long as a link leads to it.
Signed-in crawls make sure on every page that they are still signed in as their role.

A German public body may not pass its visitors' addresses to third parties: the ``page`` fixture
aborts and records every request that does not go to the live server, and here every ``src``/``href``
of the elements that load something (link, script, img, iframe, source, video, audio, embed, object)
must be same-origin, whether the browser fetched it yet or not.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.conftest import assert_accessible, assert_signed_in, axe_violations, login

# The admin is crawled too: every changelist, add and change form (and history and delete page) a role
# reaches, once per model. Only what signs out or is no page is skipped.
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/admin/logout/", "/admin/jsi18n/")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".json", ".docx", ".odt", ".pdf", ".zip")
PER_PATTERN = 1
LOADING_ELEMENTS = """() => {
  const urls = [];
  for (const el of document.querySelectorAll('link[href], script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], object[data]')) {
    urls.push(el.href || el.src || el.data);
  }
  return urls;
}"""
MAX_PAGES = 400  # the admin role reaches about 110 admin pages besides the portal's


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}:{match.route}"


def crawl(page, start="/", username=None):
    from playwright.sync_api import Error as PlaywrightError

    base = page.url.split("/", 3)[:3]
    origin = "/".join(base)
    queue, seen_urls, per_pattern, checked, failures = [start], set(), {}, [], []
    while queue and len(checked) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen_urls:
            continue
        seen_urls.add(path)
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file without a telling suffix (a schema, an API)
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status < 500, f"{path} answered {response.status}"
        if username and page.locator("header.site-header").count():
            assert_signed_in(page, username)  # still crawling as this role, not signed out on the way
        foreign = [url for url in page.evaluate(LOADING_ELEMENTS)
                   if not url.startswith(origin + "/") and not url.startswith("data:")]
        assert not foreign, f"{path} refers to other hosts: {foreign}"
        checked.append(path)
        violations = axe_violations(page)
        if violations:
            failures.append((path, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]))
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"):
            url = urljoin(origin + path, href)
            if not url.startswith(origin):
                continue
            target = url[len(origin):].split("#", 1)[0] or "/"
            target_path = urlsplit(target).path
            if target_path.startswith(SKIP_PREFIXES) or target_path.endswith(DOWNLOAD_SUFFIXES):
                continue
            if "export" in target_path or "download" in target_path:
                continue
            if target not in seen_urls:
                queue.append(target)
    return checked, failures


@pytest.mark.parametrize("username", [None, "verwaltung", "koordination", "koordination2", "redaktion", "admin"])
def test_every_reachable_page_passes_axe(page, seeded, username):
    page.goto("/")
    if username:
        login(page, username)
        page.goto("/")
    checked, failures = crawl(page, username=username)
    assert len(checked) >= 5, checked
    assert len(checked) < MAX_PAGES, "the crawl stopped before it reached every page"
    if username in ("redaktion", "admin"):
        admin_pages = [path for path in checked if path.startswith("/admin/")]
        for kind in ("/add/", "/change/"):
            assert any(kind in path for path in admin_pages), f"no admin {kind} page was checked: {admin_pages}"
        assert any(path.count("/") == 4 and not path.endswith(("/add/", "/change/")) for path in admin_pages), admin_pages
    assert not failures, "\n".join(f"{path}: {problems}" for path, problems in failures)


def test_error_page_passes_axe(page, seeded):
    response = page.goto("/gibt-es-nicht/")
    assert response.status == 404
    assert_accessible(page)
