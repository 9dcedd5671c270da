"""Small middleware of the portal frame."""

from django.conf import settings
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


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
