"""The invitation e-mail: a one-time link to choose a password (the password-reset flow), no password
ever e-mailed, and nothing in it about any youth."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import get_reset_password_from_key_url
from allauth.account.utils import user_pk_to_url_str
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from threadline.accounts.models import User


def invitation_send(*, request: HttpRequest, user: User) -> None:
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    with translation.override(user.preferred_language):
        context = {"link": get_reset_password_from_key_url(request, key)}
        subject = render_to_string("accounts/invite_subject.txt", context).strip()
        body = render_to_string("accounts/invite_email.txt", context)
    send_mail(subject, body, None, [user.email])
