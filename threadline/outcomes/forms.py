from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.core.formfields import date_input
from threadline.outcomes.measures.facts import Period

MAX_DAYS = 366 * 3


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("To"), widget=date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of three years or less."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


FORMAT_CHOICES = [("pdf", "PDF"), ("xlsx", "XLSX")]


class ReportExportForm(PeriodForm):
    formats = forms.MultipleChoiceField(
        label=_("Files"), choices=FORMAT_CHOICES, initial=["pdf", "xlsx"], widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        label=_("What is it for?"),
        max_length=180,
        help_text=_("For example: quarterly report to the grant funder. Kept in the access ledger."),
    )


class RecordsExportForm(PeriodForm):
    KIND_CHOICES = [
        ("referrals", _("Referrals received (spreadsheet, reference codes only)")),
        ("hmis", _("HMIS-comparable CSV files (youths served)")),
    ]
    kind = forms.ChoiceField(label=_("Records"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=180,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why these records must leave Threadline. Printed on the export and kept in the ledger."),
    )
