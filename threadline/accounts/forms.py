from __future__ import annotations

from allauth.mfa.webauthn.forms import AddWebAuthnForm as AllauthAddWebAuthnForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from threadline.core.roles import Role


class StaffUserForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


class AddWebAuthnForm(AllauthAddWebAuthnForm):
    """allauth's form to add a security key; its one visible field has no label of allauth's, so Django's
    'Name' showed in English on a Spanish page."""

    name = forms.CharField(label=_("Name"), required=False)
