"""Case notes and the person's draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.forms import (
    CaseNoteForm,
)
from threadline.care.models import CaseNote
from threadline.care.services.notes import NOTE_FIELDS, case_note_autosave, case_note_save
from threadline.care.views.base import CONFLICT, YouthWorkRequest, youth_work
from threadline.core.errors import EditConflict
from threadline.formflow import form_errors
from threadline.http import AuthedRequest


@youth_work
def notes(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    """Case notes and the person's draft. The draft form autosaves over HTMX every pause in typing
    (the response is only the small "saved at" partial); without JavaScript, "Save draft" does the
    same with a full page."""
    listed = selectors.case_notes_of(membership=request.membership, youth_id=youth_id)
    drafts = [n for n in listed if n.state == "draft"]
    saved = [n for n in listed if n.state == "final"]
    status_text = ""
    status = 200
    restored = False
    if request.method == "POST":
        form = CaseNoteForm(request.POST)
        action = request.POST.get("action", "autosave")
        if form.is_valid():
            data = dict(form.cleaned_data)
            note_id = data.pop("note_id") or None
            version = data.pop("version")
            try:
                if action == "save":  # one service, one transaction: draft or not, the note is saved
                    case_note_save(
                        membership=request.membership,
                        youth_id=youth_id,
                        note_id=note_id,
                        version=version,
                        **data,
                    )
                    messages.success(request, _("Note saved."))
                    return redirect("care:notes", youth_id=youth_id)
                note = case_note_autosave(
                    membership=request.membership, youth_id=youth_id, note_id=note_id, version=version, **data
                )
            except CaseNote.DoesNotExist:
                raise Http404 from None
            except EditConflict:
                form.add_error(None, CONFLICT)
                status = 409
            except ValidationError as exc:
                form_errors(form, exc)
                status = 400
            else:
                form = CaseNoteForm(initial={**data, "note_id": note.pk, "version": note.version})
                status_text = _("Draft saved at %(time)s") % {
                    "time": timezone.localtime(note.updated_at).strftime("%H:%M")
                }
        else:
            status = 400
    else:
        form, restored = _draft_form(request, youth_id, drafts)
    context = {
        "youth_id": youth_id,
        "form": form,
        "drafts": drafts,
        "saved": saved,
        "status_text": status_text
        or (_("Your draft was brought back. It is saved as you type.") if restored else ""),
        "restored": restored,
        "note_id": form["note_id"].value() or "",
        "version": form["version"].value() or "",
    }
    if request.htmx and request.POST.get("action", "autosave") == "autosave":  # type: ignore[attr-defined]
        return render(request, "care/notes.html#draft_state", context, status=status)
    return render(request, "care/notes.html", context, status=status)


def _draft_form(request: AuthedRequest, youth_id: str, drafts: list[CaseNote]) -> tuple[CaseNoteForm, bool]:
    """The form a GET shows: the draft asked for, else the person's latest draft (a reload or coming back
    later brings it back rather than an empty form: issue 16, part 6), unless they asked for a blank one."""
    restored = False
    draft_id = request.GET.get("draft")
    if not draft_id and drafts and not request.GET.get("new"):
        draft_id = str(max(drafts, key=lambda n: n.updated_at).pk)
        restored = True
    if not draft_id:
        return CaseNoteForm(), False
    try:
        draft = selectors.case_note_draft(membership=request.membership, youth_id=youth_id, note_id=draft_id)
    except (CaseNote.DoesNotExist, ValidationError):
        raise Http404 from None
    initial = {**{f: getattr(draft, f) for f in NOTE_FIELDS}, "note_id": draft.pk, "version": draft.version}
    return CaseNoteForm(initial=initial), restored
