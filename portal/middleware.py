"""Small middleware of the portal frame."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.utils import translation
from django.utils.cache import patch_vary_headers


class GermanFirstLocaleMiddleware:
    """Activate German unless the visitor chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language header; a German
    public portal speaks German first, whatever the browser says, and English only
    when the visitor asks for it (the choice is kept in a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than any form of the portal takes, before it is read.

    Django would otherwise stream a large upload to disk before the form could refuse it. The reverse
    proxy in front should refuse such bodies even earlier (nginx: ``client_max_body_size``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.http import HttpResponse
            from django.template import loader

            html = loader.render_to_string(
                "errors/413.html", {"size": settings.MAX_REQUEST_BYTES // (1024 * 1024)}
            )
            response = HttpResponse(html, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class SignedInPagesMiddleware:
    """What signed-in people see may hold personal data (contact persons, who changed what, internal
    notes): no browser or proxy keeps it (``Cache-Control: private, no-store``). And a session lives
    for ``SESSION_COOKIE_AGE`` after the last activity: its expiry is moved on at most every
    ``SESSION_REFRESH_SECONDS``, so that working does not write the session on every request.

    It runs outside the page cache, which keeps such pages in the server's own memory per person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The session alone tells whether someone signed in: loading the user here would cost every
        # page from the cache a query. A stale session (password changed) is treated like a live one.
        signed_in = SESSION_KEY in request.session
        if signed_in:
            self._keep_alive(request)
        response = self.get_response(request)
        if signed_in or SESSION_KEY in request.session:
            response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _keep_alive(request) -> None:
        import time

        now = int(time.time())
        if now - int(request.session.get("_sn_seen", 0)) > settings.SESSION_REFRESH_SECONDS:
            request.session["_sn_seen"] = now  # saving the session moves its expiry on


def _seen_at_login(sender, request, user, **kwargs) -> None:
    """A fresh session counts as active: no second write on the first page after signing in."""
    import time

    request.session["_sn_seen"] = int(time.time())


def connect_receivers() -> None:
    """Called from the accounts app's ``ready()``, so that signing in before any request counts too."""
    user_logged_in.connect(_seen_at_login, dispatch_uid="portal_session_seen_at_login")


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DebugNotFoundMiddleware:
    """Development only (``portal/settings/dev.py``): with DEBUG on, Django answers an unknown address with its
    technical 404 page; this shows the portal's own German "page not found" instead, as in production, both for
    an address no URL matches and for a view that raises Http404. A missing trailing slash is still redirected
    by CommonMiddleware, which sees the 404 on its way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import Resolver404, resolve

        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as error:
            return self._not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404

        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        return None

    @staticmethod
    def _not_found(request, exception):
        from django.shortcuts import render

        return render(request, "errors/404.html", status=404)  # as portal.views.error_404 (handler404)
