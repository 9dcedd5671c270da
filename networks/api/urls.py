"""``/api/hsds/``: the HSDS 3.0 API, its OpenAPI document and its documentation page. The paths are those
of the HSDS reference (``/services``, ``/services/{id}`` ..., without a trailing slash)."""

from django.urls import path

from networks.api import views

app_name = "hsds-api"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("services", views.ServiceList.as_view(), name="services-list"),
    path("services/<str:pk>", views.ServiceDetail.as_view(), name="service-detail"),
    path("organizations", views.OrganizationList.as_view(), name="organizations-list"),
    path("organizations/<str:pk>", views.OrganizationDetail.as_view(), name="organization-detail"),
    path("service_at_locations", views.ServiceAtLocationList.as_view(), name="service-at-locations-list"),
    path("service_at_locations/<str:pk>", views.ServiceAtLocationDetail.as_view(), name="service-at-location-detail"),
    path("taxonomies", views.TaxonomyList.as_view(), name="taxonomies-list"),
    path("taxonomies/<str:pk>", views.TaxonomyDetail.as_view(), name="taxonomy-detail"),
    path("taxonomy_terms", views.TaxonomyTermList.as_view(), name="taxonomy-terms-list"),
    path("taxonomy_terms/<str:pk>", views.TaxonomyTermDetail.as_view(), name="taxonomy-term-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
