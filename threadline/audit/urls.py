from __future__ import annotations

from django.urls import path

from threadline.audit import views

URL_PREFIX = "audit/"
urlpatterns = [path("", views.ledger, name="ledger")]
