from __future__ import annotations

from django.urls import path

from threadline.mentoring.views import assign, mentee, mentees

URL_PREFIX = "mentoring/"
urlpatterns = [
    path("", mentees, name="mentees"),
    path("<str:youth_id>/", mentee, name="mentee"),
    path("<str:youth_id>/assign", assign, name="assign"),
]
