from django.urls import path

from guidance.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.example_list, name="index"),
    path("verwalten/", views.manage, name="manage"),
    path("neu/", views.example_create, name="create"),
    path("<slug:slug>/", views.example_detail, name="detail"),
    path("<slug:slug>/steckbrief/", views.example_print, name="print"),
    path("<slug:slug>/bearbeiten/", views.example_edit, name="edit"),
    path("<slug:slug>/einreichen/", views.example_submit, name="submit"),
    path("<slug:slug>/pruefen/", views.example_review, name="review"),
    path("<slug:slug>/archivieren/", views.example_archive, name="archive"),
    path("<slug:slug>/verlauf/", views.example_history, name="history"),
    path("<slug:slug>/anhang/<int:pk>/", views.attachment_download, name="attachment"),
]
