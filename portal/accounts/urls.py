"""Django's own authentication views under /accounts/ with the portal's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views
from portal.accounts.forms import PortalAuthenticationForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("meine-daten/", views.my_data, name="my-data"),
    path("meine-daten/export.json", views.my_data_export, name="my-data-export"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
