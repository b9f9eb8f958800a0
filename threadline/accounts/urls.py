from __future__ import annotations

from django.urls import path

from threadline.accounts import views

URL_PREFIX = "team/"
urlpatterns = [
    path("", views.people, name="people"),
    path("<int:user_id>/deactivate", views.deactivate, name="deactivate"),
    path("<int:user_id>/sign-out", views.sign_out_person, name="sign_out_person"),
    path("session", views.session_alive, name="session_alive"),
    path("<int:user_id>/factor-reset", views.factor_reset_request, name="factor_reset_request"),
    path("factor-resets/<int:reset_id>/approve", views.factor_reset_approve, name="factor_reset_approve"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
]
