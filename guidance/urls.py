from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.index, name="index"),
    path("fahrplan/", views.roadmap, name="roadmap"),
    path("fahrplan/<slug:slug>/", views.step, name="step"),
    path("fahrplan/<slug:slug>/bearbeiten/", views.step_edit, name="step-edit"),
    path("fahrplan/<slug:slug>/verlauf/", views.step_history, name="step-history"),
    path("themen/<slug:slug>/", views.page, name="page"),
    path("themen/<slug:slug>/bearbeiten/", views.page_edit, name="page-edit"),
    path("themen/<slug:slug>/verlauf/", views.page_history, name="page-history"),
    path("grafiken/", views.figures, name="figures"),
    path("grafiken/<slug:key>.<str:extension>", views.figure_download, name="figure-download"),
    path("werkzeuge/betroffene-kinder/", views.estimator, name="estimator"),
    path("werkzeuge/kosten-und-nutzen/", views.costs, name="costs"),
    path("werkzeuge/beschlussvorlage/", views.resolution, name="resolution"),
    path("werkzeuge/beschlussvorlage/<slug:slug>/", views.resolution, name="resolution"),
    path("werkzeuge/beschlussvorlage/<slug:slug>/entwurf.docx", views.resolution_docx, name="resolution-docx"),
    path("werkzeuge/beschlussvorlage/<slug:slug>/kooperationsvereinbarung.docx", views.agreement_docx,
         name="agreement-docx"),
    path("werkzeuge/beschlussvorlage/<slug:slug>/schweigepflichtentbindung.docx", views.consent_docx,
         name="consent-docx"),
    path("werkzeuge/beschlussvorlage/<slug:slug>/praesentation.pptx", views.slides_pptx, name="slides-pptx"),
    path("kommunen/", views.progress_list, name="progress-list"),
    path("kommunen/uebersicht/", views.progress_overview, name="progress-overview"),
    path("karte/", views.progress_map, name="map"),
    path("kommunen/<slug:slug>/", views.progress, name="progress"),
    path("kommunen/<slug:slug>/nachbarn/", views.neighbours, name="neighbours"),
    path("kommunen/<slug:slug>/ratsinformation/", views.oparl_link, name="oparl-link"),
    path("kommunen/<slug:slug>/ratsinformation/vorlage/", views.oparl_paper_link, name="oparl-paper-link"),
    path("kommunen/<slug:slug>/ratsinformation/aktualisieren/", views.oparl_paper_refresh,
         name="oparl-paper-refresh"),
    path("kommunen/<slug:slug>/ratsinformation/loesen/", views.oparl_paper_unlink, name="oparl-paper-unlink"),
    path("beschluesse/", views.oparl_resolutions, name="oparl-resolutions"),
    path("kommunen/<slug:slug>/<slug:step_slug>/", views.progress_step_edit, name="progress-step-edit"),
]
