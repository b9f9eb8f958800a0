from __future__ import annotations

from django.urls import path

from threadline.network.views import meetings, partners, trainings

urlpatterns = [
    path("", partners.partners, name="partners"),
    path("agreements/<int:agreement_id>", partners.agreement, name="agreement"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/<int:meeting_id>", meetings.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/minutes", meetings.minutes, name="minutes"),
    path("trainings/", trainings.trainings, name="trainings"),
    path("trainings/<int:training_id>", trainings.training, name="training"),
    path("plans/", trainings.plans, name="plans"),
    path("tasks/", trainings.tasks, name="tasks"),
]
