# Test cases for xss_upload_validation.yaml (semgrep --test annotations).
from django.core.exceptions import ValidationError

from .models import Attachment, Document


def store_attachments(note, uploaded_files):
    stored = []
    for upload in uploaded_files:
        att = Attachment(
            note=note,
            file=upload,
            filename=upload.name,
            mime_type=upload.content_type or "application/octet-stream",
        )
        # ruleid: python.xss.uploaded-file-saved-without-model-validation
        att.save()
        stored.append(att)
    return stored


def store_validated(note, uploaded_files):
    for upload in uploaded_files:
        att = Attachment(note=note, file=upload, filename=upload.name)
        try:
            att.full_clean()
        except ValidationError:
            continue
        # ok: python.xss.uploaded-file-saved-without-model-validation
        att.save()


def upload_view(request):
    doc = Document(owner=request.user, document=request.FILES["document"])
    # ruleid: python.xss.uploaded-file-saved-without-model-validation
    doc.save()
    return doc


def copy_default(owner):
    doc = Document(owner=owner, document=None)
    # ok: python.xss.uploaded-file-saved-without-model-validation
    doc.save()
    thumb = Document(owner=owner, image="defaults/avatar.png")
    # ok: python.xss.uploaded-file-saved-without-model-validation
    thumb.save()
    other = Document(owner=owner, title=owner.name)
    # ok: python.xss.uploaded-file-saved-without-model-validation
    other.save()


def make_fixture_image(product, placeholder_dir, name):
    image = open_placeholder(placeholder_dir, name)
    media = Document(owner=product, image=image)
    # a file the code made itself, not an upload
    # ok: python.xss.uploaded-file-saved-without-model-validation
    media.save()


def upload_from_files(request):
    upload = request.FILES.get("document")
    doc = Document(owner=request.user, document=upload)
    # ruleid: python.xss.uploaded-file-saved-without-model-validation
    doc.save()
