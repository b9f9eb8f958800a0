"""Seal the TOTP secrets and recovery-code seeds stored in clear before the MFA adapter sealed them."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from threadline.accounts.mfa import is_sealed, seal_text

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data or {})
        changed = False
        for field in ("secret", "seed"):
            value = data.get(field)
            if isinstance(value, str) and not is_sealed(value):
                data[field] = seal_text(value)
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list) and any(not is_sealed(code) for code in codes):
            data["migrated_codes"] = [code if is_sealed(code) else seal_text(code) for code in codes]
            changed = True
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_factor_reset_request"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
