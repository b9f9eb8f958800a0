"""Scanned consent forms: upload (attached to a recorded release) and download, through the policy.

The upload is read into memory only (never spooled to a temporary file on disk in the clear), and its
size is refused before the body is read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from threadline.http import AuthedRequest
from threadline.youth import selectors, sharing


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps the upload in memory whatever its size (the view has already bounded it)."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def _limit() -> int:
    return int(getattr(settings, "CONSENT_FILE_MAX_BYTES", sharing.CONSENT_FILE_MAX_BYTES))


@csrf_exempt  # the CSRF check runs below, after the upload handlers are set (Django's documented way)
def consent_file_upload(request: AuthedRequest, youth_id: str, consent_id: str) -> HttpResponse:
    if request.method != "POST":
        return _not_post(request, youth_id)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _limit() + 64 * 1024:
        return HttpResponse(
            _("The file is too large. The limit is %(mb)s MB.") % {"mb": _limit() // (1024 * 1024)},
            status=413,
            content_type="text/plain; charset=utf-8",
        )
    request.upload_handlers = [InMemoryUploadHandler(request)]
    return _upload(request, youth_id, consent_id)


@csrf_protect
@login_required
def _not_post(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """A forged request is refused first (403), a youth this person may not see is missing (404)."""
    selectors.consent_files_require(membership=request.membership, youth_id=youth_id)
    return HttpResponseNotAllowed(["POST"])


@csrf_protect
@login_required
@require_POST
def _upload(request: AuthedRequest, youth_id: str, consent_id: str) -> HttpResponse:
    selectors.consent_files_require(membership=request.membership, youth_id=youth_id)
    assert request.membership is not None
    upload = request.FILES.get("file")
    try:
        sharing.consent_file_attach(
            membership=request.membership,
            youth_id=youth_id,
            consent_id=consent_id,
            name=(upload.name or "") if upload is not None else "",
            data=upload.read() if upload is not None else b"",
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Scanned form attached."))
    return redirect("youth:consents", youth_id=youth_id)


@login_required
@require_GET
def consent_file_download(request: AuthedRequest, youth_id: str, file_id: str) -> HttpResponse:
    record, data = selectors.consent_file_open(
        membership=request.membership, youth_id=youth_id, file_id=file_id
    )
    if record is None:  # a youth this person may see, but no such form: back to the releases
        messages.error(request, _("That scanned form is not here."))
        return redirect("youth:consents", youth_id=youth_id)
    response = HttpResponse(data, content_type=record.content_type)
    # A plain name: the scan's own name may hold the youth's name, and headers end up in proxy logs.
    response["Content-Disposition"] = f'attachment; filename="consent-form.{record.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
