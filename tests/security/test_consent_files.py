"""Scanned consent forms: stored sealed with the youth's key, EXIF/GPS and PDF metadata stripped, type and
size bounded, served only through the policy (a 404 like a missing file otherwise), ledgered."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter

from tests.conftest import Persona, make_persona
from tests.factories.youth import make_youth
from tests.security.conftest import World
from tests.security.report import report
from threadline.access.consent_files import ConsentFile
from threadline.audit.models import AccessEvent
from threadline.core.roles import Role
from threadline.crypto.envelope import DecryptionFailed, open_sealed
from threadline.youth.sharing import consent_file_attach

pytestmark = pytest.mark.django_db

SIGNER = "Rosa Quintanilla"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 180, 160))
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = SIGNER
    exif[ExifTags.Base.ImageDescription] = "consent form Marisol"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (29.0, 25.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (98.0, 29.0, 37.1)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    reread = Image.open(io.BytesIO(data)).getexif()
    assert reread[ExifTags.Base.Artist] == SIGNER and reread.get_ifd(
        ExifTags.IFD.GPSInfo
    )  # the fixture holds them
    return data


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", SIGNER)
    out = io.BytesIO()
    Image.new("L", (40, 40), 128).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Author": SIGNER, "/Title": "Release for Marisol", "/Creator": "Office Scanner 3000"}
    )
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert SIGNER.encode() in data
    return data


def upload(client: Client, world: World, data: bytes, name: str = "ROI Marisol Quintanilla.jpg") -> int:
    response = client.post(
        f"/youth/{world.youth.pk}/consents/{world.consent.pk}/form",
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )
    return response.status_code


def the_file(world: World) -> ConsentFile:
    return ConsentFile.objects.defer(None).get(consent=world.consent)


MISSING = "7f1c2b3a-0000-4000-8000-000000000001"


def same_page(body: bytes, asked: str) -> str:
    """The page without what differs on every response (CSRF token masks) or echoes the address."""
    text = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1TOKEN", body.decode())
    return text.replace(asked, "ID")


def download(client: Client, world: World, file_id: object) -> tuple[int, bytes]:
    response = client.get(f"/youth/{world.youth.pk}/consent-forms/{file_id}")
    return response.status_code, response.content


def test_jpeg_is_stripped_of_exif_and_gps_and_sealed_with_the_youth_key(
    world: World, client_for: object
) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    assert upload(coordinator, world, jpeg_with_gps()) == 302
    stored = the_file(world)
    raw = bytes(stored.sealed)
    assert not raw.startswith(b"\xff\xd8") and SIGNER.encode() not in raw and b"Quintanilla" not in raw
    assert stored.original_name == "ROI Marisol Quintanilla.jpg"  # kept, but encrypted
    other = make_youth(world.coordinator.membership, preferred_name="Other")
    with pytest.raises(DecryptionFailed):
        open_sealed(raw, key=other.encryption_key(), aad=stored.aad())
    status, content = download(coordinator, world, stored.pk)
    assert status == 200
    cleaned = Image.open(io.BytesIO(content))
    assert cleaned.format == "JPEG" and cleaned.size == (64, 48)
    assert dict(cleaned.getexif()) == {}
    assert b"Exif" not in content and SIGNER.encode() not in content and b"Marisol" not in content


def test_png_text_chunks_are_stripped(world: World, client_for: object) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    assert upload(coordinator, world, png_with_text(), name="form.png") == 302
    status, content = download(coordinator, world, the_file(world).pk)
    assert status == 200
    assert Image.open(io.BytesIO(content)).format == "PNG"
    assert SIGNER.encode() not in content and b"tEXt" not in content


def test_pdf_author_and_metadata_are_stripped(world: World, client_for: object) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    assert upload(coordinator, world, pdf_with_author(), name="form.pdf") == 302
    status, content = download(coordinator, world, the_file(world).pk)
    assert status == 200
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert reader.metadata is None or not {"/Author", "/Title", "/Creator"} & set(reader.metadata)
    assert SIGNER.encode() not in content and b"Marisol" not in content and b"Scanner" not in content


def test_download_headers_name_nothing(world: World, client_for: object) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    upload(coordinator, world, pdf_with_author(), name="Marisol Quintanilla.pdf")
    response = coordinator.get(f"/youth/{world.youth.pk}/consent-forms/{the_file(world).pk}")
    assert response["Content-Disposition"] == 'attachment; filename="consent-form.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("form.jpg", b"<html><script>alert(1)</script></html>"),  # a page posing as a photo
        ("form.pdf", b"MZ\x90\x00 not a pdf"),
        ("form.jpg", b"\xff\xd8\xff\xe0 truncated jpeg"),
        ("form.pdf", b"%PDF-1.7\n garbage without pages"),
        ("form.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("empty.png", b""),
    ],
)
def test_other_or_broken_files_are_refused_and_nothing_is_stored(
    world: World, name: str, data: bytes
) -> None:
    with pytest.raises(ValidationError) as refused:
        consent_file_attach(
            membership=world.coordinator.membership,
            youth_id=world.youth.pk,
            consent_id=world.consent.pk,
            name=name,
            data=data,
        )
    report(
        "attacks",
        suite="hostile consent-form uploads",
        tried=1,
        refused=int(ConsentFile.objects.count() == 0),
    )
    assert list(refused.value.message_dict) == ["file"]
    assert ConsentFile.objects.count() == 0


def test_too_large_is_refused_before_reading(world: World, client_for: object, settings: object) -> None:
    settings.CONSENT_FILE_MAX_BYTES = 1024  # type: ignore[attr-defined]
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    assert upload(coordinator, world, b"\xff\xd8\xff" + b"0" * 200_000) == 413
    with pytest.raises(ValidationError):
        consent_file_attach(
            membership=world.coordinator.membership,
            youth_id=world.youth.pk,
            consent_id=world.consent.pk,
            name="big.jpg",
            data=jpeg_with_gps() + b"\x00" * 2048,
        )
    assert ConsentFile.objects.count() == 0


def test_only_those_who_record_releases_see_or_attach_forms_and_others_get_the_missing_answer(
    world: World, client_for: object, advocate: Persona
) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    upload(coordinator, world, jpeg_with_gps())
    stored = the_file(world)
    outsider = make_persona(
        email="vera@elsewhere.test",
        role=Role.CARE_COORDINATOR,
        organization=world.limited_partner.organization,
    )
    for persona in (world.limited_partner, world.unconsented_partner, advocate, outsider):
        client = client_for(persona)  # type: ignore[operator]
        missing = download(client, world, MISSING)
        assert missing[0] == 404
        got = download(client, world, stored.pk)
        assert got[0] == 404
        assert same_page(got[1], str(stored.pk)) == same_page(missing[1], MISSING), persona.user.email
        assert upload(client, world, jpeg_with_gps()) == 404
    # The file of one youth is not reachable through another youth's address: back to that youth's
    # releases, nothing of the file in the answer.
    second = make_youth(world.coordinator.membership, preferred_name="Second")
    response = coordinator.get(f"/youth/{second.pk}/consent-forms/{stored.pk}")
    assert (response.status_code, response["Location"]) == (302, f"/youth/{second.pk}/consents")
    assert response.content == b""
    assert ConsentFile.objects.count() == 1


def test_attach_and_every_download_are_ledgered(world: World, client_for: object) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    upload(coordinator, world, jpeg_with_gps())
    stored = the_file(world)
    download(coordinator, world, stored.pk)
    download(coordinator, world, stored.pk)
    rows = AccessEvent.objects.filter(object_type="consent_file", object_id=str(stored.pk))
    assert sorted(rows.values_list("action", flat=True)) == ["consent_file_attach", "view", "view"]
    assert {str(r.youth_id) for r in rows} == {str(world.youth.pk)}


def test_the_releases_page_lists_the_form_and_offers_the_upload(world: World, client_for: object) -> None:
    coordinator = client_for(world.coordinator)  # type: ignore[operator]
    upload(coordinator, world, pdf_with_author(), name="form.pdf")
    html = coordinator.get(f"/youth/{world.youth.pk}/consents").content.decode()
    assert f"/youth/{world.youth.pk}/consent-forms/{the_file(world).pk}" in html
    assert 'enctype="multipart/form-data"' in html and "Quintanilla" not in html.split("<h1")[0]
