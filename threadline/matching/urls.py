from __future__ import annotations

from django.urls import path

from threadline.matching import views

URL_PREFIX = "matching/"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("review/<str:pair_id>", views.pair_decide, name="pair_decide"),
    path("merges/<str:merge_id>/undo", views.merge_undo, name="merge_undo"),
]
