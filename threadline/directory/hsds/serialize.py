"""HSDS objects out: flat (one object, one-to-one fields) and nested (the "full" forms), always through
a ``Gate`` that knows the audience.

The gate is the one place that decides what an audience may see: listed organizations at the
audience's visibility levels, their services and locations, and every detail object only when each
object it points at is visible too. A confidential location is shown as a virtual location without
address, coordinates or anything linked to it, unless the audience may see confidential addresses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet

from threadline.directory import models as m
from threadline.directory.audience import Scope
from threadline.directory.hsds.spec import NESTED, TYPES, TypeSpec
from threadline.directory.models import VettingStatus

Obj = dict[str, Any]

LINK_FIELDS = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "contact_id": "contact",
    "phone_id": "phone",
}
ALWAYS_PUBLIC = {"taxonomy", "taxonomy_term", "unit", "meta_table_description"}
INTERNAL_ONLY = {"metadata"}
CONFIDENTIAL_NOTE = (
    "Confidential location: the address is not published. Call to arrange a safe meeting place."
)


def visible_organizations(scope: Scope) -> QuerySet[m.Organization]:
    qs = m.Organization.objects.all()
    if scope.internal:
        return qs
    return qs.filter(vetting_status=VettingStatus.VETTED, hidden_at__isnull=True, visibility__in=scope.levels)


def visible_services(scope: Scope) -> QuerySet[m.Service]:
    qs = m.Service.objects.all()
    if scope.internal:
        return qs
    return qs.filter(organization_id__in=visible_organizations(scope).values("id"))


def iso(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Gate:
    """Answers "may this audience see object X?" with a memo, so a page of results costs few queries.
    ``preload()`` fills the memo for the whole directory (exports)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._orgs: set[str] | None = None
        self._memo: dict[tuple[str, str], bool] = {}
        self._confidential: set[str] = set()
        self._loaded = False

    # --- the rules -------------------------------------------------------------------------------
    def org_ids(self) -> set[str]:
        if self._orgs is None:
            self._orgs = set(visible_organizations(self.scope).values_list("id", flat=True))
        return self._orgs

    def is_confidential(self, location_id: str) -> bool:
        self.visible("location", location_id)
        return location_id in self._confidential

    def visible(self, type_name: str, hsds_id: str) -> bool:
        if not hsds_id:
            return False
        key = (type_name, hsds_id)
        if key in self._memo:
            return self._memo[key]
        if self._loaded:
            return False
        result = self._decide(type_name, hsds_id)
        self._memo[key] = result
        return result

    def _decide(self, type_name: str, hsds_id: str) -> bool:
        if type_name == "organization":
            return self.scope.internal or hsds_id in self.org_ids()
        if type_name == "service":
            row = m.Service.objects.filter(id=hsds_id).values_list("organization_id", flat=True).first()
            return row is not None and (self.scope.internal or row in self.org_ids())
        if type_name == "location":
            loc = m.Location.objects.filter(id=hsds_id).values_list("organization_id", "confidential").first()
            if loc is None:
                return False
            if loc[1]:
                self._confidential.add(hsds_id)
            if self.scope.internal or loc[0] in self.org_ids():
                return True
            services = m.ServiceAtLocation.objects.filter(location_id=hsds_id).values_list(
                "service_id", flat=True
            )
            return any(self.visible("service", s) for s in services)
        model = TYPES[type_name].model if type_name in TYPES else None
        if model is None:
            return False
        obj = model._default_manager.filter(pk=hsds_id).first()
        return obj is not None and self.detail_ok(type_name, obj)

    def link_ok(self, field: str, value: str) -> bool:
        """A detail may point at this object: it is visible, and not a confidential location (unless
        the audience may see those)."""
        target = LINK_FIELDS[field]
        if not self.visible(target, value):
            return False
        return not (target == "location" and not self.scope.confidential and self.is_confidential(value))

    def detail_ok(self, type_name: str, obj: Any) -> bool:
        if self.scope.internal:
            return True
        if type_name in ALWAYS_PUBLIC:
            return True
        if type_name in INTERNAL_ONLY:
            return False
        if type_name in ("organization", "service", "location"):
            return self.visible(type_name, obj.id if hasattr(obj, "id") else obj["id"])
        names = (*LINK_FIELDS, "link_id", "link_entity")
        values = obj if isinstance(obj, dict) else {f: getattr(obj, f, "") for f in names}
        if type_name == "attribute":
            entity = str(values.get("link_entity") or "")
            target = entity if entity in ("organization", "service", "location") else ""
            link = str(values.get("link_id") or "")
            if target:
                return self.visible(target, link)
            return any(self.visible(t, link) for t in ("service", "organization", "location"))
        links = [(f, str(values.get(f) or "")) for f in LINK_FIELDS]
        present = [(f, v) for f, v in links if v]
        if not present:
            return False
        if type_name == "service_at_location":
            # The join itself reveals nothing: its location is shown masked when confidential.
            return all(self.visible(LINK_FIELDS[f], v) for f, v in present)
        return all(self.link_ok(f, v) for f, v in present)

    def preload(self) -> None:
        """Decide for every organization, service, location and detail at once (exports)."""
        orgs = (
            self.org_ids()
            if not self.scope.internal
            else set(m.Organization.objects.values_list("id", flat=True))
        )
        for org_id in m.Organization.objects.values_list("id", flat=True):
            self._memo[("organization", org_id)] = org_id in orgs
        for sid, oid in m.Service.objects.values_list("id", "organization_id"):
            self._memo[("service", sid)] = self.scope.internal or oid in orgs
        sal_by_location: dict[str, list[str]] = {}
        for lid, sid in m.ServiceAtLocation.objects.values_list("location_id", "service_id"):
            sal_by_location.setdefault(lid, []).append(sid)
        for lid, oid, conf in m.Location.objects.values_list("id", "organization_id", "confidential"):
            if conf:
                self._confidential.add(lid)
            self._memo[("location", lid)] = (
                self.scope.internal
                or oid in orgs
                or any(self._memo.get(("service", s), False) for s in sal_by_location.get(lid, []))
            )
        # details that other details point at
        for type_name, model in (
            ("service_at_location", m.ServiceAtLocation),
            ("contact", m.Contact),
            ("phone", m.Phone),
        ):
            for obj in model._default_manager.all():
                self._memo[(type_name, obj.pk)] = self.detail_ok(type_name, obj)
        self._loaded = True


# --- flat objects -------------------------------------------------------------------------------


def flat(type_name: str, obj: Any, gate: Gate) -> Obj:
    spec = TYPES[type_name]
    if isinstance(obj, m.HsdsRecord):
        return {"id": obj.hsds_id, **{k: v for k, v in obj.data.items() if k != "id"}}
    out: Obj = {"id": obj.pk}
    for name in spec.fields:
        value = getattr(obj, name, None)
        if value is None or value == "":
            continue
        if isinstance(value, datetime):
            value = iso(value)
        elif name in spec.numbers:
            value = _number(value)
        out[name] = value
    if type_name == "organization":
        _organization_profile(obj, out, gate)
    elif type_name == "service_capacity" and obj.unit_id:
        # HSDS requires the unit inside a capacity even in its own table.
        unit = m.Unit.objects.filter(id=obj.unit_id).first()
        if unit is not None:
            out["unit"] = flat("unit", unit, gate)
    elif type_name == "location" and obj.confidential:
        if not gate.scope.confidential:
            return _masked_location(obj)
        out["confidential"] = True
    return out


def _masked_location(loc: m.Location) -> Obj:
    out: Obj = {"id": loc.id, "location_type": "virtual", "name": "Confidential location"}
    if loc.organization_id:
        out["organization_id"] = loc.organization_id
    out["description"] = CONFIDENTIAL_NOTE
    return out


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    return str(value.isoformat())


def _organization_profile(org: m.Organization, out: Obj, gate: Gate) -> None:
    out["visibility"] = org.visibility
    vetting: Obj = {
        "status": org.vetting_status,
        "approved_date": _date(org.approved_at),
        "next_audit_date": _date(org.next_audit_date),
        "last_confirmed_date": _date(org.last_confirmed_at),
        "accepts_referrals": org.accepts_referrals,
    }
    if gate.scope.internal:
        vetting.update(
            {
                "applied_date": _date(org.applied_at),
                "review_started_date": _date(org.review_started_at),
                "onsite_check_date": _date(org.onsite_checked_on),
                "onsite_notes": org.onsite_notes or None,
                "reviewer": org.reviewer.email if org.reviewer_id and org.reviewer else None,
                "evidence": org.evidence or None,
                "hidden_date": _date(org.hidden_at),
            }
        )
    out["vetting"] = {k: v for k, v in vetting.items() if v is not None}


# --- nested objects -----------------------------------------------------------------------------

RECORD_LINKS = ("service_id", "organization_id", "location_id", "resource_id")


def _children_of(spec: TypeSpec, link: str, parent_id: str) -> list[Any]:
    if spec.model is None:
        if link not in RECORD_LINKS:
            return []
        return list(
            m.HsdsRecord.objects.filter(object_type=spec.name, **{link: parent_id}).order_by("hsds_id")
        )
    return list(spec.model._default_manager.filter(**{link: parent_id}).order_by("pk"))


def _one(spec: TypeSpec, hsds_id: str) -> Any:
    if not hsds_id:
        return None
    if spec.model is None:
        return m.HsdsRecord.objects.filter(object_type=spec.name, hsds_id=hsds_id).first()
    return spec.model._default_manager.filter(pk=hsds_id).first()


def nested(type_name: str, obj: Any, gate: Gate, ancestors: tuple[str, ...] = (), depth: int = 0) -> Obj:
    out = flat(type_name, obj, gate)
    masked = type_name == "location" and getattr(obj, "confidential", False) and not gate.scope.confidential
    if masked or depth > 4:
        return out
    trail = (*ancestors, type_name)
    for child in NESTED.get(type_name, ()):
        if child.type in trail:
            continue
        spec = TYPES[child.type]
        if child.many:
            items = [
                c
                for c in _children_of(spec, child.link, out["id"])
                if gate.detail_ok(child.type, _as_links(c))
            ]
            if items:
                out[child.key] = [nested(child.type, c, gate, trail, depth + 1) for c in items]
        else:
            target = _one(
                spec, getattr(obj, child.parent_field, "") if not isinstance(obj, m.HsdsRecord) else ""
            )
            if target is not None and gate.detail_ok(child.type, _as_links(target)):
                out[child.key] = nested(child.type, target, gate, trail, depth + 1)
    return out


def _as_links(obj: Any) -> Any:
    if isinstance(obj, m.HsdsRecord):
        return {"id": obj.hsds_id, **obj.data}
    return obj


def record_model(type_name: str) -> type[models.Model]:
    return TYPES[type_name].model or m.HsdsRecord
