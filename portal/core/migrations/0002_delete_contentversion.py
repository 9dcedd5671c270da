# The page cache keeps its scope versions in the shared cache (portal/core/pagecache.py).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_content_version"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
    ]
