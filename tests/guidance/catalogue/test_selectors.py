"""Reads used elsewhere in the portal (roadmap step page, header search), attachments, GIN index."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from guidance.catalogue import services as svc
from guidance.catalogue.selectors import public_attachments, published_examples_for_step, site_search_examples
from tests.factories.catalogue import MunicipalityFactory, RoadmapStepFactory, example_data, make_example

pytestmark = pytest.mark.django_db


def test_published_examples_for_step():
    step = RoadmapStepFactory(slug="umsetzen", number=7, title="Umsetzen")
    shown = make_example(title="Gezeigt", steps=[step.pk])
    make_example(title="Entwurf", steps=[step.pk], publish=False)
    make_example(title="Anderer Schritt")
    assert list(published_examples_for_step(step=step)) == [shown]


def test_site_search_shows_drafts_only_to_those_who_may_see_them(koordination_user, anonymous_user, redaktion_user):
    muni = MunicipalityFactory()
    muni.coordinators.add(koordination_user)
    make_example(municipality=muni, title="Lotsenprojekt veröffentlicht", goal="Lotsen begleiten Familien.")
    make_example(municipality=muni, title="Lotsenprojekt Entwurf", publish=False)
    anonymous = site_search_examples(query="Lotsenprojekt", user=anonymous_user, limit=5)
    assert anonymous.key == "examples" and anonymous.total == 1
    assert "<mark>Lotsen</mark>" in anonymous.hits[0].excerpt  # the compound's head is marked
    assert anonymous.more_url == reverse("catalogue:index") + "?q=Lotsenprojekt"
    own = site_search_examples(query="Lotsenprojekt", user=koordination_user, limit=5)
    assert own.total == 2
    assert site_search_examples(query="Lotsenprojekt", user=redaktion_user, limit=1).total == 2


def test_site_search_excerpt_highlights_the_body():
    make_example(title="Netzwerk", goal="Die Substitutionsambulanz arbeitet mit dem Jugendamt.")
    hit = site_search_examples(query="Substitution", user=None, limit=5).hits[0]
    assert "<mark>Substitutionsambulanz</mark>" in hit.excerpt


def test_attachment_of_a_change_is_public_only_after_publication(koordination_user, redaktion_user, tmp_path):
    muni = MunicipalityFactory()
    muni.coordinators.add(koordination_user)
    example = make_example(municipality=muni)
    upload = SimpleUploadedFile("bericht.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    attachment = svc.attachment_add(example=example, user=koordination_user, title="Bericht", file=upload)
    assert attachment not in public_attachments(example=example)
    svc.example_save(example=example, user=koordination_user, version=example.version,
                     data=example_data(muni, goal="Mit Bericht"))
    svc.example_submit(example=example, user=koordination_user)
    svc.example_publish(example=example, user=redaktion_user)
    assert attachment in public_attachments(example=example)


@pytest.mark.parametrize("n", [1, 12])
def test_detail_page_has_a_fixed_query_count(client, n, django_assert_max_num_queries):
    from tests.factories.catalogue import ActorFactory, KeywordFactory

    muni = MunicipalityFactory()
    keyword = KeywordFactory(name="Suchthilfe", slug="suchthilfe")
    actors = [ActorFactory(municipality=muni) for _ in range(n)]
    others = [MunicipalityFactory() for _ in range(n)]
    example = make_example(
        municipality=muni, keywords=[keyword.pk], municipalities=[m.pk for m in others],
        participants=[{"actor": a.pk, "name": a.name} for a in actors],
        links=[{"url": f"https://example.org/{i}", "label": ""} for i in range(n)],
    )
    for i in range(n):
        make_example(municipality=muni, title=f"Verwandt {i}", keywords=[keyword.pk])
    with django_assert_max_num_queries(16):
        assert client.get(example.get_absolute_url()).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_gin_index_on_the_search_vector():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'guidance_example_search_gin'")
        row = cursor.fetchone()
    assert row and "gin" in row[0].lower() and "search_vector" in row[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column storage is PostgreSQL's")
def test_the_search_vector_column_keeps_its_values_in_the_table_row():
    """Storage MAIN (migration guidance 0006): PostgreSQL moves an example's long texts to the TOAST
    table before its search vector, so matching and ranking a broad query reads no TOAST table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'guidance_example'::regclass "
            "AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"


def test_attachment_download_respects_publication(client, koordination_user, redaktion_user):
    muni = MunicipalityFactory()
    muni.coordinators.add(koordination_user)
    example = make_example(municipality=muni)
    upload = SimpleUploadedFile("bericht.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    attachment = svc.attachment_add(example=example, user=koordination_user, title="Bericht", file=upload)
    url = reverse("catalogue:attachment", kwargs={"slug": example.slug, "pk": attachment.pk})
    assert "bericht.pdf" not in attachment.file.name.split("/")[1]  # random directory
    assert client.get(url).status_code == 404
    client.force_login(koordination_user)
    assert client.get(url).status_code == 200
    client.logout()
    svc.example_submit(example=example, user=koordination_user)
    svc.example_publish(example=example, user=redaktion_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert url in client.get(example.get_absolute_url()).content.decode()
