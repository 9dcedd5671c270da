"""Finding 3 of the attack (issue 17): decompression bombs and oversized files.

Each bomb is read in a fresh process (``python -m tests.security.bombs``), so that its memory is
measured from a quiet start: it must be refused within two seconds, with a short German message,
while the process grows by less than 100 MB. Then the same files go through the real upload forms.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.security import bombs
from tests.security.conftest import record_figure

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 2.0
GROWTH_MB = 100


@pytest.mark.parametrize("name", sorted(bombs.BOMBS))
def test_a_bomb_is_refused_fast_in_little_memory_with_a_short_german_message(name):
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.bombs", name], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.test", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    record_figure("bombs", name, measured)
    assert measured["seconds"] < SECONDS, measured
    assert measured["peak_growth_mb"] < GROWTH_MB, measured
    assert measured["answer"] and len(measured["answer"]) < 300, measured  # refused, briefly


@pytest.fixture
def coordinator(in_world):
    client = Client()
    client.force_login(in_world.users["koordination"])
    return client


@pytest.mark.parametrize("name", ["shared-strings", "dimension", "far-row", "newlines"])
def test_an_import_bomb_is_refused_through_the_upload_form(in_world, coordinator, name):
    build, filename = bombs.BOMBS[name]
    upload = SimpleUploadedFile(filename, build())
    started = time.monotonic()
    response = coordinator.post(reverse("networks:import"), {
        "municipality": in_world.own.municipality.pk, "file": upload,
    })
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 200
    result = response.context["result"]
    assert result.file_errors and not result.is_valid
    html = response.content.decode()
    assert result.file_errors[0] in html or "Datei" in html
    assert len(response.content) < 200_000  # nothing of the file is echoed back


def test_an_odt_bomb_attached_to_a_cooperation_is_refused(in_world, coordinator):
    cooperation = in_world.own.cooperation
    url = reverse("networks:cooperation-edit", args=[cooperation.pk])
    form = coordinator.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data["actors"] = [a.pk for a in cooperation.actors.all()]
    data["document"] = SimpleUploadedFile("vereinbarung.odt", bombs.odt_mimetype_bomb())
    started = time.monotonic()
    response = coordinator.post(url, data)
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 200 and "document" in response.context["form"].errors


def test_a_request_body_larger_than_any_form_takes_is_refused_before_it_is_read(in_world, coordinator, settings):
    body = b"x" * (settings.MAX_REQUEST_BYTES + 1)
    response = coordinator.generic("POST", reverse("networks:import"), body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
