from django.urls import path

from guidance import views_catalogue

app_name = "catalogue"

urlpatterns = [
    path("", views_catalogue.example_list, name="index"),
]
