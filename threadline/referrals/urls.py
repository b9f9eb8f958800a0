from __future__ import annotations

from django.urls import path

from threadline.referrals import views

URL_PREFIX = "referrals/"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<str:referral_id>", views.inbox_detail, name="inbox_detail"),
    path("answer/<str:token>", views.answer, name="answer"),
    path("youth/<str:youth_id>/", views.youth_referrals, name="youth"),
    path("youth/<str:youth_id>/suggest", views.suggest, name="suggest"),
    path("from-listing/<str:service_id>", views.from_listing, name="from_listing"),
    path("<str:referral_id>/", views.detail, name="detail"),
]
