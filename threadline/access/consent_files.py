"""Scanned consent forms: the signed paper release, photographed or scanned, attached to a consent.

The file is cleaned before it is kept (EXIF and GPS dropped from images by re-encoding the pixels with
Pillow; author, producer, XMP and page metadata dropped from PDFs with pypdf), then sealed with the
youth's own data key (AES-GCM, associated data ``table|content|pk``), so a copied or misplaced blob
never opens as another youth's form. The type is read from the bytes, never from the name or the
browser's claim; size and pixel count are bounded.

Kept in the database (not on disk): backups, restores and crash recovery carry it with its consent in
one transaction.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedTextField


class WithoutContent(models.Manager["ConsentFile"]):
    """Lists never load the sealed bytes; the one read that needs them asks with ``defer(None)``."""

    def get_queryset(self) -> models.QuerySet[ConsentFile]:
        return super().get_queryset().defer("sealed")


class ConsentFile(LabelledById):
    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent = models.ForeignKey("access.Consent", on_delete=models.CASCADE, related_name="files")
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    content_type = models.CharField(max_length=40, choices=Kind.choices)
    size = models.PositiveIntegerField()  # of the cleaned file, before sealing
    sealed = models.BinaryField()  # version | nonce | AES-GCM(cleaned file), under the youth's data key
    original_name = EncryptedTextField()  # a scan's name may hold the youth's name
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = WithoutContent()

    class Meta:
        app_label = "access"
        indexes = [models.Index(fields=["consent", "uploaded_at"], name="consent_file_consent")]

    def encryption_key(self) -> bytes:
        return self.youth.encryption_key()

    def aad(self) -> bytes:
        return f"{self._meta.db_table}|content|{self.pk}".encode()

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[self.content_type]


def sniff(head: bytes) -> str | None:
    """The file's type from its first bytes; None for anything we do not keep."""
    if head.startswith(b"\xff\xd8\xff"):
        return ConsentFile.Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ConsentFile.Kind.PNG
    if head.startswith(b"%PDF-"):
        return ConsentFile.Kind.PDF
    return None


class Unreadable(ValueError):
    """Not a file we can clean: refused, never stored as it came."""


def clean_image(data: bytes, *, kind: str, max_pixels: int) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, camera, time), XMP, ICC, text chunks and thumbnails are
    left behind. The picture is turned upright first, as the camera meant it."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise Unreadable("too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            mode = upright.mode if upright.mode in {"RGB", "L", "RGBA", "LA", "P"} else "RGB"
            pixels = upright.convert(mode)
            clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
            if pixels.mode == "P":
                clean.putpalette(pixels.getpalette() or [])
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise Unreadable(str(exc)) from None
    out = io.BytesIO()
    if kind == ConsentFile.Kind.JPEG:
        clean.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def clean_pdf(data: bytes, *, max_pages: int) -> bytes:
    """Copy the pages only: the document information (author, creator, producer, dates), the XMP
    stream, attachments, scripts and forms of the catalogue stay behind; page-level metadata too."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Unreadable("encrypted PDF")
        if len(reader.pages) > max_pages:
            raise Unreadable("too many pages")
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Metadata", "/PieceInfo", "/AA"):
                if NameObject(key) in added:
                    del added[NameObject(key)]
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        raise Unreadable(str(exc)) from None
    return out.getvalue()
