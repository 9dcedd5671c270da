# The trigram similarity of "Meinten Sie …?" (portal.core.search.suggest) on PostgreSQL. pg_trgm is a
# trusted extension (PostgreSQL 13+): the database's owner may create it. Nothing happens on SQLite.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_delete_contentversion"),
    ]

    operations = [
        TrigramExtension(),
    ]
