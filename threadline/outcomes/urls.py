from __future__ import annotations

from django.urls import path

from threadline.outcomes import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.funder_report, name="report"),
    path("where/", views.where, name="where"),
    path("records/", views.records_export, name="records_export"),
]
