from django.urls import path

from networks.views import access, edit, io, public

app_name = "networks"

urlpatterns = [
    path("", public.actor_list, name="index"),
    path("partner/", public.actor_list, name="actor-list"),
    path("partner/vorschlaege/", public.partner_suggest, name="partner-suggest"),
    path("partner/<int:pk>/", public.actor_detail, name="actor-detail"),
    path("partner/<int:pk>/bearbeiten/", edit.actor_edit, name="actor-edit"),
    path("partner/<int:pk>/pruefen/", edit.actor_verify, name="actor-verify"),
    path("partner/<int:pk>/deaktivieren/", edit.actor_deactivate, name="actor-deactivate"),
    path("partner/<int:pk>/aktivieren/", edit.actor_reactivate, name="actor-reactivate"),
    path("partner/<int:pk>/ansprechpersonen/neu/", edit.contact_create, name="contact-create"),
    path("ansprechpersonen/<int:pk>/bearbeiten/", edit.contact_edit, name="contact-edit"),
    path("partner/<int:pk>/zustaendigkeit/", edit.service_area_request, name="service-area-request"),
    path("zustaendigkeiten/<int:pk>/bestaetigen/", edit.service_area_confirm, name="service-area-confirm"),
    path("zustaendigkeiten/<int:pk>/beenden/", edit.service_area_end, name="service-area-end"),
    path("kommunen/", public.municipality_list, name="municipality-list"),
    path("kommunen/vorschlaege/", public.municipality_suggest, name="municipality-suggest"),
    path("kommunen/<slug:slug>/", public.municipality_detail, name="municipality-detail"),
    path("kommunen/<slug:slug>/netzwerk/", public.network_graph, name="network-graph"),
    path("kommunen/<slug:slug>/bearbeiten/", edit.municipality_edit, name="municipality-edit"),
    path("kommunen/<slug:slug>/partner/neu/", edit.actor_create, name="actor-create"),
    path("kommunen/<slug:slug>/kooperationen/neu/", edit.cooperation_create, name="cooperation-create"),
    path("kommunen/<slug:slug>/export.csv", io.export_csv, name="export-csv"),
    path("kommunen/<slug:slug>/export.xlsx", io.export_xlsx, name="export-xlsx"),
    path("kommunen/<slug:slug>/kooperationen.csv", io.export_cooperations_csv, name="export-cooperations-csv"),
    path("kommunen/<slug:slug>/kooperationen.xlsx", io.export_cooperations_xlsx, name="export-cooperations-xlsx"),
    path("kommunen/<slug:slug>/hsds.json", io.export_hsds, name="export-hsds"),
    path("kooperationen/<int:pk>/", public.cooperation_detail, name="cooperation-detail"),
    path("kooperationen/<int:pk>/bearbeiten/", edit.cooperation_edit, name="cooperation-edit"),
    path("import/", io.import_view, name="import"),
    path("import/kooperationen/", io.import_cooperations, name="import-cooperations"),
    path("import/vorlage-<slug:kind>.<slug:fmt>", io.import_template, name="import-template"),
    path("zugang/", access.access_request, name="access-request"),
    path("zugang/danke/", access.access_request_done, name="access-request-done"),
    path("zugang/anfragen/", access.access_request_list, name="access-request-list"),
    path("zugang/anfragen/<int:pk>/", access.access_request_detail, name="access-request-detail"),
    path("zugang/anfragen/<int:pk>/link/", access.access_request_resend, name="access-request-resend"),
]
