"""Sections the rooms above add to a youth's record page (found by ``threadline.discovery``: the youth
room sits below them and does not import them). A room's ``youth_record.py`` defines
``panel(*, membership, opened) -> RecordPanel | None``; it asks its own questions of the policy
(the record is already opened, and ledgered, for ``opened.categories``) and answers None when the
person may see none of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.timezone import localtime

from threadline.discovery import app_modules

if TYPE_CHECKING:
    from threadline.accounts.models import Membership
    from threadline.youth.policy import Opened


@dataclass(frozen=True)
class PanelRow:
    label: str
    url: str = ""
    details: list[str] = field(default_factory=list)


def dated_row(label: str, url: str, when: dt.datetime, details: Iterable[str]) -> PanelRow:
    """A row whose details start with the local day of ``when`` (short date format)."""
    return PanelRow(
        label=label, url=url, details=[date_format(localtime(when), "SHORT_DATE_FORMAT"), *details]
    )


@dataclass(frozen=True)
class PanelGroup:
    title: str | Promise
    rows: list[PanelRow]
    empty: str | Promise
    more_url: str = ""
    more_label: str | Promise = ""


@dataclass(frozen=True)
class RecordPanel:
    key: str
    order: int
    groups: list[PanelGroup]


def record_panels(*, membership: Membership | None, opened: Opened) -> dict[str, list[PanelGroup]]:
    """Every room's groups by panel (e.g. "referrals": intake's and the service referrals')."""
    found: list[RecordPanel] = []
    for _label, module in app_modules("youth_record"):
        panel = module.panel(membership=membership, opened=opened)
        if panel is not None:
            found.append(panel)
    panels: dict[str, list[PanelGroup]] = {}
    for panel in sorted(found, key=lambda p: p.order):
        panels.setdefault(panel.key, []).extend(panel.groups)
    return panels
