from __future__ import annotations

from django.urls import path

from threadline.accounts import views

URL_PREFIX = "team/"
urlpatterns = [
    path("", views.people, name="people"),
    path("<int:user_id>/deactivate", views.deactivate, name="deactivate"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
]
