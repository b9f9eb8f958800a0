"""The directory lives under two roots: /directory/ (pages) and /hsds/ (the HSDS API)."""

from __future__ import annotations

from django.urls import path

from threadline.directory import hsds_api, views

URL_PREFIX = ""
urlpatterns = [
    path("directory/", views.public_search, name="public"),
    path("directory/services/<str:service_id>/", views.public_service, name="public_service"),
    path("directory/summary/", views.public_summary, name="summary"),
    path("directory/apply/", views.apply, name="apply"),
    path("directory/apply/thanks/", views.apply_thanks, name="apply_thanks"),
    path("directory/confirm/<str:token>/", views.audit_confirm, name="confirm"),
    path("directory/staff/", views.staff_search, name="staff"),
    path("directory/staff/services/<str:service_id>/", views.staff_service, name="staff_service"),
    path("directory/admin/", views.admin_queue, name="admin_queue"),
    path("directory/statistics/", views.admin_statistics, name="statistics"),
    path("directory/admin/<str:organization_id>/", views.admin_listing, name="admin_listing"),
    path("hsds/", hsds_api.meta, name="hsds"),
    path("hsds/services", hsds_api.services, name="hsds_services"),
    path("hsds/services/<str:hsds_id>", hsds_api.service_detail, name="hsds_service"),
    path("hsds/organizations", hsds_api.organizations, name="hsds_organizations"),
    path("hsds/organizations/<str:hsds_id>", hsds_api.organization_detail, name="hsds_organization"),
    path("hsds/service_at_locations", hsds_api.service_at_locations, name="hsds_service_at_locations"),
    path(
        "hsds/service_at_locations/<str:hsds_id>",
        hsds_api.service_at_location_detail,
        name="hsds_service_at_location",
    ),
    path("hsds/taxonomies", hsds_api.taxonomies, name="hsds_taxonomies"),
    path("hsds/taxonomies/<str:hsds_id>", hsds_api.taxonomy_detail, name="hsds_taxonomy"),
    path("hsds/taxonomy_terms", hsds_api.taxonomy_terms, name="hsds_taxonomy_terms"),
    path("hsds/taxonomy_terms/<str:hsds_id>", hsds_api.taxonomy_term_detail, name="hsds_taxonomy_term"),
]
