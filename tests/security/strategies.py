"""Hypothesis strategies for hostile input and a fingerprint of the database."""

import hashlib

from django.apps import apps
from django.db import connection
from hypothesis import strategies as st

ATTACKS = [
    "' OR '1'='1' --",
    "1; DROP TABLE networks_actor; --",
    "\" OR 1=1 /*",
    "') UNION SELECT username, password FROM auth_user --",
    "%' AND 1=0 UNION ALL SELECT NULL --",
    "{{ request.user.password }}",
    "{% load log %}{% get_admin_log 10 as x %}{{ x }}",
    "{{ settings.SECRET_KEY }}",
    "<script>alert(1)</script>",
    "${7*7}",
    "../../../../etc/passwd",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ufeff\u200b\u200d",
    "Ωmega мир 中文 עברית العربية 🙂 Ä ö ü ß",
    "𝕏" * 50,
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "0x1F",
    "2026-02-30",
    "",
    " ",
    "\r\n\t",
    "&q=x&page=2",
    "%00%27",
    "*" * 3,
    "?" * 3,
]
CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
MIXED = st.characters(blacklist_categories=("Cs",))


def nasty_text(max_size: int = 60):
    """Random text, control characters (with NUL), mixed scripts, attack strings and oversized input."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.one_of(CONTROL, MIXED), max_size=max_size),
        st.sampled_from(ATTACKS),
        st.builds(lambda s, n: s * n, st.sampled_from(["x", "ä", "'", "<", "%", "9"]), st.integers(1000, 20000)),
    )


EXCLUDED_TABLES = ("axes_", "django_session")


def db_fingerprint() -> str:
    """A hash of every row of every table (except the login-attempt log and sessions)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.db_table):
            table = model._meta.db_table
            if table.startswith(EXCLUDED_TABLES) or model._meta.proxy:
                continue
            quoted = connection.ops.quote_name(table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {pk}")  # noqa: S608 - table names from the models
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()
