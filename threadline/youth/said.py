"""What the timeline says, kept as words to translate, not as finished English.

A timeline entry is written once and read by people working in English or Spanish, so the services
give :func:`timeline_add` a :class:`Said` (a registered :class:`Message` and its values) or a
:class:`Choice` (a choice's label), never a finished sentence. The entry stores its English text as
before (exports, the handoff copy and old readers keep working) and, sealed beside it, the message's
msgid and values (:func:`stored`); the page translates them in the reader's language (:func:`shown`).
The values may hold names (an organization, a service), so they live in an encrypted column only.

Entries written before the message was kept show their stored text, translated if it is a known
message without values ("Case note").
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.db import models
from django.utils import translation
from django.utils.translation import gettext

log = logging.getLogger(__name__)

# Every message a service may write, by msgid: the Spanish test walks it.
MESSAGES: dict[str, Message] = {}


@dataclass(frozen=True)
class Choice:
    """A choice's label (a meeting type, a closure reason), stored as its choices class and value, so
    the reader sees the label in their language, with its context if it has one."""

    member: models.Choices

    def stored(self) -> dict[str, Any]:
        kind = type(self.member)
        return {"choices": f"{kind.__module__}:{kind.__qualname__}", "value": self.member.value}


Value: TypeAlias = "str | Choice | Said | tuple[Choice, ...]"


@dataclass(frozen=True)
class Said:
    """A registered message with its values, as a service hands it to the timeline."""

    msgid: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def stored(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "values": {name: _stored(value) for name, value in self.values.items()}}


@dataclass(frozen=True)
class Message:
    """A timeline message. Declare it at module level with its msgid marked for extraction:
    ``TEAM_JOINED = Message(gettext_noop("%(organization)s joined the care team"))``; python-format
    placeholders, so translators see them and ``compilemessages`` checks they are kept."""

    msgid: str

    def __post_init__(self) -> None:
        MESSAGES[self.msgid] = self

    def __call__(self, **values: Value) -> Said:
        return Said(self.msgid, values)


def _stored(value: Value) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return {"list": [item.stored() for item in value]}
    return value.stored()


def stored(summary: Said | Choice) -> dict[str, Any]:
    """The sealed column's value: the msgid (or choice) and the values, as JSON."""
    return summary.stored()


def english(summary: Said | Choice) -> str:
    """The text stored in clear of translation, as the timeline always stored it."""
    with translation.override("en"):
        return _render(stored(summary))


def shown(data: Mapping[str, Any] | None, fallback: str) -> str:
    """The entry in the active language. ``fallback`` is the stored text, for entries written before
    messages were kept, or whose message no longer reads (a reworded translation dropped a value)."""
    if data is not None:
        try:
            return _render(data)
        except (KeyError, TypeError, ValueError, ImportError, AttributeError):
            # The kind of failure only: the values may hold names.
            log.warning("timeline message not shown", exc_info=False)
    return gettext(fallback) if fallback else fallback


def _choices(path: str) -> type[models.Choices]:
    """The choices class stored as ``module:Qualified.Name``; only this project's, only a choices class."""
    module, _, name = path.partition(":")
    if not module.startswith("threadline."):
        raise TypeError("not a choices class of this project")
    # Never imported because a row names it: the choices written on the timeline live in modules the
    # app has loaded at start-up (models, choices, states); any other name shows the stored text.
    kind: Any = sys.modules.get(module)
    if kind is None:
        raise TypeError("not a loaded module")
    for part in name.split("."):
        kind = getattr(kind, part)
    if not (isinstance(kind, type) and issubclass(kind, models.Choices)):
        raise TypeError("not a choices class")
    return kind


def _render(data: Mapping[str, Any]) -> str:
    if "choices" in data:
        return str(_choices(data["choices"])(data["value"]).label)
    if "list" in data:
        return ", ".join(_render(item) for item in data["list"])
    values = {
        name: value if isinstance(value, str) else _render(value) for name, value in data["values"].items()
    }
    return gettext(data["msgid"]) % values
