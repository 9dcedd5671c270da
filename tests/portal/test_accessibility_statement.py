"""Issue 16: the accessibility statement names its status, the open barriers, dates, test method,
a feedback contact from the settings and the enforcement body."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_statement_has_the_required_parts(client, settings):
    settings.PORTAL_OPERATOR = {"name": "Kreis Musterstadt", "address": "Hauptstraße 1", "email": "barrieren@example.org", "phone": ""}
    html = client.get(reverse("barrierefreiheit")).content.decode()
    assert "teilweise vereinbar" in html
    assert html.count("<li>", html.index('class="accessibility-barriers"')) >= 3
    assert "erstellt" in html and "29.11.2026" in html and "überprüft" in html
    assert "axe-core" in html and "von Hand" in html
    assert 'href="mailto:barrieren@example.org"' in html
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (§ 16 BGG)" in html
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in html
    assert "Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen" in html
