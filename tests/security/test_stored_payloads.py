"""Stored attack payloads render harmless everywhere: HTML and Markdown with script tags, event
handlers, ``javascript:`` and ``data:`` links, SVG with onload and template syntax are written into
every text field people can write, then every page, export and generated document that shows them
is checked."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import add_figure, record_figure
from tests.security.harmless import problems_in

PAYLOADS = [
    '<script>alert("sn1")</script>',
    '<img src=x onerror=alert("sn2")>',
    '<a href="javascript:alert(\'sn3\')">klick</a>',
    '[klick](javascript:alert("sn4"))',
    '<svg onload=alert("sn5")><circle r="1"/></svg>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[daten](data:text/html,<script>alert(1)</script>)",
    '"><script>alert("sn6")</script>',
    "'><img src=x onerror=alert(7)>",
    "{{ request.user.password }} {% debug %} {{ 7|add:7 }}",
    "<style>body{display:none}</style>",
    "[x](  JaVaScRiPt:alert(8))",
    '<a href="&#106;avascript:alert(9)">x</a>',
    '<a href="#" onclick="alert(10)">x</a>',
    '<math><mi xlink:href="javascript:alert(11)">x</mi></math>',
    "<object data=\"javascript:alert(12)\"></object>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(13)">',
]
LONG = "\n\n".join(PAYLOADS)
SHORT = '<script>alert(1)</script><svg onload=alert(2)><img src=x onerror=alert(3)>'
TINY = "<svg onload=alert(1)>"
TEMPLATE_MARK = "{{ 7|add:7 }}"


def payload_for(model, field_name: str) -> str:
    max_length = model._meta.get_field(field_name).max_length
    for candidate in (LONG, SHORT, TINY):
        if max_length is None or len(candidate) <= max_length:
            return candidate
    return TINY[:max_length]


def poison(instance, *fields):
    for name in fields:
        setattr(instance, name, payload_for(type(instance), name))
        add_figure("stored_payloads", "fields_poisoned")
    instance.save()


@pytest.fixture(scope="module")
def poisoned(world, django_db_blocker):
    """Payloads in every writable text field of Kreis Heinsberg's records (inside the module's transaction)."""
    from guidance.catalogue import services as svc
    from guidance.catalogue.models import Criterion
    from guidance.catalogue.selectors import working_snapshot
    from guidance.models import (
        ChecklistTask,
        GuidancePage,
        Material,
        ResolutionEvidence,
        RoadmapStep,
        StepProgress,
    )

    with django_db_blocker.unblock():
        own = world.own
        actor = own.contact.actor
        poison(actor, "name", "traeger_name", "street", "city", "phone", "offer", "languages", "accessibility")
        poison(own.contact, "name", "function", "phone")
        poison(own.cooperation, "title", "meeting_frequency", "description")
        own.cooperation.actors.add(actor)
        step = RoadmapStep.objects.order_by("number").first()
        poison(step, "title", "summary", "why", "involve", "sources")
        for task in ChecklistTask.objects.filter(step=step):
            poison(task, "title", "benchmark")
        for material in Material.objects.filter(step=step):
            poison(material, "title", "description")
        page = GuidancePage.objects.order_by("pk").first()
        poison(page, "title", "summary", "body", "sources")
        progress, _created = StepProgress.objects.get_or_create(municipality=own.municipality, step=step)
        poison(progress, "responsible", "notes", "evidence")
        evidence, _created = ResolutionEvidence.objects.get_or_create(progress=progress)
        poison(evidence, *[f.name for f in ResolutionEvidence._meta.fields
                           if f.get_internal_type() in ("CharField", "TextField") and not f.choices])
        example = own.published
        data = working_snapshot(example=example)
        for key in ("title", "free_tags", "lead_name", "occasion", "goal", "implementation", "financing",
                    "contact_organisation", "contact_address", "contact_phone", "figures_note"):
            field = type(example)._meta.get_field(key)
            data[key] = LONG if field.max_length is None else (SHORT if field.max_length >= len(SHORT) else TINY)
            add_figure("stored_payloads", "fields_poisoned")
        data["participants"] = [{"actor": None, "name": SHORT}]
        data["links"] = [{"url": "https://example.org/", "label": SHORT}]
        data["criteria"] = [{"criterion": Criterion.values[0], "justification": LONG}]
        svc.example_save(example=example, user=None, data=data, version=example.version)
        svc.example_submit(example=example, user=None)
        svc.example_publish(example=example, user=None)
        example.refresh_from_db()
        record_figure("stored_payloads", "payloads", len(PAYLOADS))
        return {"actor": actor, "step": step, "page": page, "example": example, "world": world}


def _pages(p):
    world = p["world"]
    own = world.own
    slug = own.municipality.slug
    return [
        p["actor"].get_absolute_url(),
        reverse("networks:actor-edit", kwargs={"pk": p["actor"].pk}),
        reverse("networks:contact-edit", kwargs={"pk": own.contact.pk}),
        reverse("networks:actor-list") + "?q=alert",
        reverse("networks:actor-list"),
        reverse("networks:municipality-detail", kwargs={"slug": slug}),
        reverse("networks:network-graph", kwargs={"slug": slug}),
        reverse("networks:cooperation-detail", kwargs={"pk": own.cooperation.pk}),
        reverse("networks:cooperation-edit", kwargs={"pk": own.cooperation.pk}),
        "/suche/?q=alert",
        "/suche/?q=script",
        reverse("catalogue:index") + "?q=alert",
        reverse("catalogue:detail", kwargs={"slug": p["example"].slug}),
        reverse("catalogue:print", kwargs={"slug": p["example"].slug}),
        reverse("catalogue:edit", kwargs={"slug": p["example"].slug}),
        reverse("catalogue:history", kwargs={"slug": p["example"].slug}),
        reverse("catalogue:manage"),
        reverse("guidance:roadmap"),
        reverse("guidance:step", kwargs={"slug": p["step"].slug}),
        reverse("guidance:step-edit", kwargs={"slug": p["step"].slug}),
        reverse("guidance:step-history", kwargs={"slug": p["step"].slug}),
        reverse("guidance:page", kwargs={"slug": p["page"].slug}),
        reverse("guidance:page-edit", kwargs={"slug": p["page"].slug}),
        reverse("guidance:page-history", kwargs={"slug": p["page"].slug}),
        reverse("guidance:progress", kwargs={"slug": slug}),
        reverse("guidance:progress-step-edit", kwargs={"slug": slug, "step_slug": p["step"].slug}),
        reverse("guidance:progress-overview"),
        reverse("guidance:resolution", kwargs={"slug": slug}),
    ]


@pytest.mark.parametrize("username", [None, "admin", "koordination"], ids=lambda u: u or "anonymous")
def test_pages_render_payloads_harmless(in_world, poisoned, settings, username):
    client = Client()
    if username:
        client.force_login(in_world.users[username])
    failures = []
    shown = 0
    for url in _pages(poisoned):
        response = client.get(url)
        if response.status_code != 200:
            continue  # pages this role may not see (the permission matrix covers them)
        html = response.content.decode()
        add_figure("stored_payloads", "page_checks")
        if "sn1" in html or "alert(1)" in html:
            shown += 1
        failures += [f"{url}: {problem}" for problem in problems_in(html)]
    assert shown >= 5, "the payloads should appear (escaped) on the pages"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("payload", PAYLOADS[:8] + PAYLOADS[12:])
def test_the_scanner_sees_each_payload_when_unescaped(payload):
    """The harmlessness check is not vacuous: rendered raw (or as unsanitised Markdown), it is caught."""
    import markdown

    assert problems_in(payload) or problems_in(markdown.markdown(payload)), payload


def test_template_syntax_is_shown_not_evaluated(in_world, poisoned):
    html = Client().get(poisoned["actor"].get_absolute_url()).content.decode()
    assert "{{ 7|add:7 }}" in html or "{{ 7|add:7 }}".replace("|", "&#x7C;") in html
    assert "Starkes-Netz-Demo" not in html and "md5$" not in html


def test_exports_carry_payloads_as_inert_text(in_world, poisoned):
    client = Client()
    slug = in_world.own.municipality.slug
    hsds = client.get(reverse("networks:export-hsds", kwargs={"slug": slug}))
    assert hsds["Content-Type"].startswith("application/json")
    assert hsds["X-Content-Type-Options"] == "nosniff"
    assert SHORT in json.dumps(hsds.json(), ensure_ascii=False)
    for name in ("export-csv", "export-xlsx"):
        response = client.get(reverse(f"networks:{name}", kwargs={"slug": slug}))
        assert response["Content-Disposition"].startswith("attachment;")
        assert not response["Content-Type"].startswith("text/html")
    add_figure("stored_payloads", "export_checks", 3)


def test_resolution_docx_contains_payloads_only_as_text(in_world, poisoned):
    client = Client()
    client.force_login(in_world.users["verwaltung"])
    url = reverse("guidance:resolution-docx", kwargs={"slug": in_world.own.municipality.slug})
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        xml = "".join(archive.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
    assert "&lt;script&gt;" in xml  # the partner's name is in the draft, escaped as text
    assert "<script" not in xml and "<svg" not in xml
    # No field codes, macros or external relations slip in through the text.
    import re

    assert set(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)) <= {"PAGE", "NUMPAGES"}
    assert not [n for n in names if n.endswith((".bin", "vbaProject.bin"))]
    assert 'TargetMode="External"' not in xml
    add_figure("stored_payloads", "document_checks")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
     " javascript:alert(1)", "java\tscript:alert(1)"],
)
def test_link_fields_refuse_script_urls(db, url):
    """Where people type addresses (partner website, cooperation link, evidence link, catalogue links)."""
    from guidance.catalogue.forms import ExampleForm
    from guidance.forms import ProgressForm
    from networks.forms import ActorForm, CooperationForm

    assert "website" in ActorForm(data={"website": url}).errors
    assert "link" in CooperationForm(data={"link": url}).errors
    assert "evidence_link" in ProgressForm(data={"evidence_link": url, "status": "open", "version": 0}, tasks=[]).errors
    assert "links" in ExampleForm(data={"links": url}).errors
    add_figure("stored_payloads", "url_checks", 4)
