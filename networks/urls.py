from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.index, name="index"),
]
