"""Uploads are checked by content, limited in size, refused with a German message, and a refused
upload writes nothing (no record, no file)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guidance.catalogue.models import Example, ExampleAttachment
from networks.models import Actor, Cooperation
from tests.factories.catalogue import make_example
from tests.factories.networks import ActorFactory, CooperationFactory, MunicipalityFactory
from tests.security.conftest import add_figure

REAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
TEXT = b"Name;Typ\nHallo;Welt\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BAD_DOCUMENTS = {
    "html-as-pdf": ("vereinbarung.pdf", HTML),
    "exe-as-pdf": ("vereinbarung.pdf", EXE),
    "text-as-xlsx": ("liste.xlsx", TEXT),
    "zip-as-docx": ("brief.docx", _zip({"readme.txt": b"hallo"})),
    "xlsx-as-docx": ("brief.docx", _xlsx()),
    "pdf-as-png": ("bild.png", REAL_PDF),
    "exe-as-jpg": ("bild.jpg", EXE),
    "html-file": ("seite.html", HTML),
    "svg-image": ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "exe": ("programm.exe", EXE),
    "no-extension": ("datei", REAL_PDF),
}
GOOD_DOCUMENTS = {
    "pdf": ("vereinbarung.pdf", REAL_PDF),
    "xlsx": ("liste.xlsx", _xlsx()),
    "png": ("bild.png", PNG),
    "odt": ("text.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})),
}


def de(msgid: str) -> str:
    """The German message as the page shows it (up to its first placeholder)."""
    from tests.german import de as german

    return german(msgid, upto_placeholder=True)


CONTENT_MESSAGE = de(
    "The content of the file does not match its ending (%(suffix)s). Please upload the original "
    "PDF, office document or image."
)
TYPE_MESSAGE = de("Please upload a PDF, office document or image.")


def expected_message(case: str) -> str:
    """An allowed ending with other content is refused for its content; any other ending for its type."""
    name = BAD_DOCUMENTS[case][0]
    allowed = name.rsplit(".", 1)[-1] in {"pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg"} and "." in name
    return CONTENT_MESSAGE if allowed else TYPE_MESSAGE
SIZE_MESSAGE = de("The file is larger than %(size)s MB.")


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- catalogue attachments -------------------------------------------------------------------


@pytest.fixture
def catalogue_setup(client, koordination_user):
    municipality = MunicipalityFactory(slug="kreis-heinsberg")
    municipality.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    return municipality


def _create_post(municipality, name, content):
    return {
        "title": "Beispiel mit Anhang",
        "municipality": municipality.pk,
        "lead_name": "Jugendamt",
        "attachment_title": "Anhang",
        "attachment_file": SimpleUploadedFile(name, content),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_catalogue_refuses_attachments_whose_content_does_not_match(client, catalogue_setup, settings, case):
    name, content = BAD_DOCUMENTS[case]
    response = client.post(reverse("catalogue:create"), _create_post(catalogue_setup, name, content))
    add_figure("uploads", "refused_files")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected_message(case) in html
    assert Example.objects.count() == 0 and ExampleAttachment.objects.count() == 0
    assert _files(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
def test_catalogue_refuses_oversized_attachments(client, catalogue_setup, settings):
    content = REAL_PDF + b"0" * (5 * 1024 * 1024)
    response = client.post(reverse("catalogue:create"), _create_post(catalogue_setup, "gross.pdf", content))
    assert SIZE_MESSAGE + "5" in response.content.decode()
    assert Example.objects.count() == 0 and _files(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(GOOD_DOCUMENTS))
def test_catalogue_accepts_genuine_documents(client, catalogue_setup, case):
    name, content = GOOD_DOCUMENTS[case]
    response = client.post(reverse("catalogue:create"), _create_post(catalogue_setup, name, content))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert ExampleAttachment.objects.count() == 1


@pytest.mark.django_db
def test_catalogue_edit_with_a_bad_attachment_changes_nothing(client, catalogue_setup, settings):
    example = make_example(municipality=catalogue_setup, publish=False, title="Vorhanden")
    before = (example.version, example.revisions.count(), ExampleAttachment.objects.count())
    from guidance.catalogue.forms import ExampleForm
    from guidance.catalogue.selectors import working_snapshot

    data = {k: v for k, v in ExampleForm.initial_from_snapshot(working_snapshot(example=example), version=example.version).items()
            if v not in (None, [], "")}
    data.update({"goal": "Geändert", "attachment_file": SimpleUploadedFile("x.pdf", HTML)})
    response = client.post(reverse("catalogue:edit", kwargs={"slug": example.slug}), data)
    assert response.status_code == 200
    assert CONTENT_MESSAGE in response.content.decode()
    example.refresh_from_db()
    assert (example.version, example.revisions.count(), ExampleAttachment.objects.count()) == before
    assert _files(settings.MEDIA_ROOT) == []


# --- cooperation documents -----------------------------------------------------------------


@pytest.fixture
def cooperation(client, koordination_user):
    municipality = MunicipalityFactory()
    municipality.coordinators.add(koordination_user)
    actors = ActorFactory.create_batch(2, municipality=municipality)
    client.force_login(koordination_user)
    return CooperationFactory(municipality=municipality, actors=actors, title="Arbeitskreis Kinderschutz")


def _cooperation_post(cooperation, name, content):
    return {
        "title": "Arbeitskreis geändert",
        "kind": cooperation.kind,
        "actors": [a.pk for a in cooperation.actors.all()],
        "is_active": "on",
        "version": cooperation.version,
        "document": SimpleUploadedFile(name, content),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_cooperation_refuses_documents_whose_content_does_not_match(client, cooperation, settings, case):
    name, content = BAD_DOCUMENTS[case]
    url = reverse("networks:cooperation-edit", kwargs={"pk": cooperation.pk})
    response = client.post(url, _cooperation_post(cooperation, name, content))
    add_figure("uploads", "refused_files")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected_message(case) in html
    cooperation.refresh_from_db()
    assert cooperation.title == "Arbeitskreis Kinderschutz" and not cooperation.document
    assert _files(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
def test_cooperation_refuses_oversized_documents(client, cooperation, settings):
    url = reverse("networks:cooperation-edit", kwargs={"pk": cooperation.pk})
    content = REAL_PDF + b"0" * (10 * 1024 * 1024)
    response = client.post(url, _cooperation_post(cooperation, "gross.pdf", content))
    assert SIZE_MESSAGE + "10" in response.content.decode()
    assert _files(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
def test_cooperation_accepts_a_genuine_pdf(client, cooperation):
    url = reverse("networks:cooperation-edit", kwargs={"pk": cooperation.pk})
    response = client.post(url, _cooperation_post(cooperation, "vereinbarung.pdf", REAL_PDF))
    assert response.status_code == 302
    cooperation.refresh_from_db()
    assert cooperation.document.name.endswith(".pdf")


# --- registry import ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("partner.xlsx", TEXT, "Excel-Datei"),
        ("partner.csv", EXE, "keine Textdatei"),
        ("partner.xlsx", _zip({"readme.txt": b"x"}), "Excel-Datei"),
        ("partner.csv", HTML, "Pflichtspalte"),
        ("partner.csv", b"", "leer"),
    ],
    ids=["text-as-xlsx", "exe-as-csv", "zip-as-xlsx", "html-as-csv", "empty"],
)
def test_import_checks_the_content(client, koordination_user, name, content, message):
    municipality = MunicipalityFactory()
    municipality.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    before = Actor.objects.count()
    response = client.post(
        reverse("networks:import"), {"municipality": municipality.pk, "file": SimpleUploadedFile(name, content)}
    )
    add_figure("uploads", "refused_files")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("<main"):][:3000]
    assert "networks_import" not in client.session  # nothing is kept for a confirmation
    assert Actor.objects.count() == before and Cooperation.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_oversized_files(client, koordination_user):
    municipality = MunicipalityFactory()
    municipality.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    content = b"Name;Typ\n" + b"x;y\n" * (10 * 1024 * 1024 // 4 + 1)
    response = client.post(
        reverse("networks:import"), {"municipality": municipality.pk, "file": SimpleUploadedFile("gross.csv", content)}
    )
    assert "größer als 10 MB" in response.content.decode()
    assert "networks_import" not in client.session and Actor.objects.count() == 0
