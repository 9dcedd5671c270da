"""Root URLs: the portal frame composes the three areas."""

from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.accounts.forms import PortalAdminAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("impressum/", views.legal_page, {"template": "impressum"}, name="impressum"),
    path("datenschutz/", views.legal_page, {"template": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", views.legal_page, {"template": "barrierefreiheit"}, name="barrierefreiheit"),
    path("barrierefreiheit/barriere-melden/", views.barrier_report, name="barrier-report"),
    path("barrierefreiheit/barriere-melden/danke/", views.barrier_report_done, name="barrier-report-done"),
    path("leitfaden/", include("guidance.urls")),
    path("gute-praxis/", include("guidance.catalogue.urls")),
    path("register/", include("networks.urls")),
    path("api/hsds/", include("networks.api.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

admin.site.site_header = "Starkes Netz – Verwaltung"
admin.site.login_form = PortalAdminAuthenticationForm
admin.site.site_title = "Starkes Netz"
