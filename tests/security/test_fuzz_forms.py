"""Every form of the project, fuzzed with hypothesis: the form is read from its page (so new fields
are fuzzed automatically), prefilled values are kept, and a random subset of fields gets hostile
input (random and oversized text, control characters with NUL, mixed scripts, SQL and template
syntax; random bytes for files). Never a 500; a rejected submission changes nothing in the database.

Each example runs in a savepoint that is rolled back, so accepted submissions do not pile up.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import add_figure
from tests.security.htmlforms import main_post_form
from tests.security.strategies import db_fingerprint, nasty_text

EXAMPLES = 20
RESOLUTION_STEP = "beschluss-fassen"


def _first_step(w):
    return w.own.extra["step"]


# name -> (user, url builder, fields of POST-only endpoints or None to read the form from the page)
FORMS = {
    "login": (None, lambda w: reverse("login"), None),
    "admin_login": (None, lambda w: reverse("admin:login"), None),
    "password_reset": (None, lambda w: reverse("password_reset"), None),
    "password_reset_confirm": (
        None, lambda w: "/accounts/reset/MQ/set-password/", ["new_password1", "new_password2"],
    ),
    "password_change": ("verwaltung", lambda w: reverse("password_change"), None),
    "set_language": (None, lambda w: reverse("set_language"), ["language", "next"]),
    "actor_create": ("koordination", lambda w: reverse("networks:actor-create", args=[w.own.municipality.slug]), None),
    "actor_edit": ("koordination", lambda w: reverse("networks:actor-edit", args=[w.own.actor.pk]), None),
    "actor_verify": ("koordination", lambda w: reverse("networks:actor-verify", args=[w.own.actor.pk]), ["version"]),
    "actor_deactivate": ("koordination", lambda w: reverse("networks:actor-deactivate", args=[w.own.actor.pk]), None),
    "actor_reactivate": (
        "koordination", lambda w: reverse("networks:actor-reactivate", args=[w.own.inactive_actor.pk]), ["version"],
    ),
    "contact_create": ("koordination", lambda w: reverse("networks:contact-create", args=[w.own.actor.pk]), None),
    "contact_edit": ("koordination", lambda w: reverse("networks:contact-edit", args=[w.own.contact.pk]), None),
    "cooperation_create": (
        "koordination", lambda w: reverse("networks:cooperation-create", args=[w.own.municipality.slug]), None,
    ),
    "cooperation_edit": (
        "koordination", lambda w: reverse("networks:cooperation-edit", args=[w.own.cooperation.pk]), None,
    ),
    "municipality_edit": (
        "koordination", lambda w: reverse("networks:municipality-edit", args=[w.own.municipality.slug]), None,
    ),
    "import_upload": ("koordination", lambda w: reverse("networks:import"), None),
    "import_confirm": ("koordination", lambda w: reverse("networks:import"), ["step", "token"]),
    "import_cooperations_upload": ("koordination", lambda w: reverse("networks:import-cooperations"), None),
    "import_cooperations_confirm": (
        "koordination", lambda w: reverse("networks:import-cooperations"), ["step", "token"],
    ),
    "step_edit": ("redaktion", lambda w: reverse("guidance:step-edit", args=[_first_step(w)]), None),
    "page_edit": ("redaktion", lambda w: reverse("guidance:page-edit", args=[w.own.extra["page"]]), None),
    "progress_edit": (
        "koordination", lambda w: reverse("guidance:progress-step-edit", args=[w.own.municipality.slug, _first_step(w)]),
        None,
    ),
    "progress_resolution_edit": (
        "koordination",
        lambda w: reverse("guidance:progress-step-edit", args=[w.own.municipality.slug, RESOLUTION_STEP]), None,
    ),
    "oparl_system": (
        "koordination", lambda w: reverse("guidance:oparl-link", args=[w.own.municipality.slug]), ["entry_url"],
    ),
    "oparl_paper_link": (
        "koordination", lambda w: reverse("guidance:oparl-paper-link", args=[w.own.municipality.slug]), ["paper_url"],
    ),
    "catalogue_create": ("koordination", lambda w: reverse("catalogue:create"), None),
    "catalogue_edit": ("koordination", lambda w: reverse("catalogue:edit", args=[w.own.draft.slug]), None),
    "catalogue_submit": ("koordination", lambda w: reverse("catalogue:submit", args=[w.own.draft.slug]), ["version"]),
    "catalogue_review": ("redaktion", lambda w: reverse("catalogue:review", args=[w.own.draft.slug]), None),
    "catalogue_archive": ("redaktion", lambda w: reverse("catalogue:archive", args=[w.own.published.slug]), ["comment"]),
    "access_request": (None, lambda w: reverse("networks:access-request"), None),
    "barrier_report": (None, lambda w: reverse("barrier-report"), None),
    "access_request_decision": (
        "redaktion", lambda w: reverse("networks:access-request-detail", args=[w.own.extra["access_request"].pk]),
        ["version", "reason", "action"],
    ),
}

UPLOAD = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["partner.csv", "partner.xlsx", "anhang.pdf", "bild.png", "datei", "x.docx", "../../etc.csv"]),
    st.one_of(st.binary(max_size=3000), st.just(b"PK\x03\x04" + b"\x00" * 100), st.just(b"%PDF-1.4\n" + b"\xff" * 50)),
)


def _client(world, username):
    client = Client()
    if username:
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_survives_hostile_input(in_world, name):
    username, url_for, fixed_fields = FORMS[name]
    url = url_for(in_world)
    client = _client(in_world, username)
    if fixed_fields is None:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        form = main_post_form(page.content.decode())
        base, names, files = form["data"], form["names"], form["files"]
    else:
        base, names, files = {}, list(fixed_fields), []
    text_names = [n for n in names if n not in files]
    strategy = st.fixed_dictionaries(
        {},
        optional={
            **{n: st.one_of(nasty_text(), st.lists(nasty_text(20), max_size=3)) for n in text_names},
            **{n: UPLOAD for n in files},
        },
    )
    before = db_fingerprint()
    outcomes = {}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(overrides=strategy)
    def run(overrides):
        data = {**base, **overrides}
        with transaction.atomic():
            response = client.post(url, data)
            rejected = response.status_code != 302
            changed = rejected and db_fingerprint() != before
            transaction.set_rollback(True)
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        add_figure("fuzz_forms", name)
        assert response.status_code < 500, (overrides, response.status_code)
        assert not changed, f"a rejected submission ({response.status_code}) changed the database: {overrides!r}"

    run()
    for status, count in outcomes.items():
        add_figure("fuzz_forms_outcomes", f"{name} {status}", count)
    assert db_fingerprint() == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_nul_in_every_field_at_once(in_world, name):
    """Deterministic: PostgreSQL refuses NUL in text; every field of every form gets one at once."""
    username, url_for, fixed_fields = FORMS[name]
    url = url_for(in_world)
    client = _client(in_world, username)
    names = fixed_fields or [n for n in main_post_form(client.get(url).content.decode())["names"]]
    before = db_fingerprint()
    with transaction.atomic():
        response = client.post(url, {n: "1\x00" for n in names})
        transaction.set_rollback(True)
    add_figure("fuzz_forms", name)
    assert response.status_code < 500
    assert db_fingerprint() == before


def test_every_form_class_is_fuzzed():
    """A new form class in the project's forms modules needs an entry above (or a reason here)."""
    import inspect

    from django import forms as django_forms

    import guidance.catalogue.forms
    import guidance.forms
    import networks.forms
    import portal.accounts.forms

    covered = {
        "ActorForm": "actor_create, actor_edit", "CooperationForm": "cooperation_create, cooperation_edit",
        "ContactPersonForm": "contact_create, contact_edit", "ImportUploadForm": "import_upload, import_cooperations_upload",
        "StepContentForm": "step_edit", "PageContentForm": "page_edit", "ProgressForm": "progress_edit",
        "ResolutionForm": "progress_resolution_edit", "EstimatorForm": "test_fuzz_params (GET form)",
        "CostForm": "test_fuzz_params (GET form)", "ResolutionChoiceForm": "test_fuzz_params (GET form)",
        "ExampleForm": "catalogue_create, catalogue_edit", "ReviewForm": "catalogue_review",
        "ArchiveForm": "catalogue_archive", "PortalAuthenticationForm": "login",
        "AccessRequestForm": "access_request", "AccessRequestDecisionForm": "access_request_decision",
        "BarrierReportForm": "barrier_report",
        "MunicipalityProfileForm": "municipality_edit",
        "CouncilSystemForm": "oparl_system", "PaperLinkForm": "oparl_paper_link",
        "PaperSearchForm": "test_fuzz_params (GET form)",
        "PortalAdminAuthenticationForm": "admin_login", "ThrottledPasswordChangeForm": "password_change",
        # Bases without fields of their own.
        "_CrispyForm": "base class", "VersionedForm": "base class",
    }
    found = {
        name for module in (guidance.forms, guidance.catalogue.forms, networks.forms, portal.accounts.forms)
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and issubclass(obj, django_forms.BaseForm) and obj.__module__ == module.__name__
    }
    assert found - set(covered) == set(), f"forms without fuzzing: {found - set(covered)}"


def test_too_many_post_fields_is_a_clean_400(in_world):
    client = _client(in_world, "koordination")
    url = reverse("networks:actor-edit", args=[in_world.own.actor.pk])
    response = client.post(url, {f"f{i}": "x" for i in range(1100)})
    assert response.status_code == 400
