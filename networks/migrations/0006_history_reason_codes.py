"""History reasons are stored as codes and translated when shown (portal.core.history.Reason).

The erasure of a contact person on request was recorded with a German text; it becomes the code "erased".
"""

from django.db import migrations


def to_codes(apps, schema_editor):
    apps.get_model("networks", "HistoricalContactPerson").objects.filter(
        history_change_reason="DSGVO: gelöscht auf Antrag"
    ).update(history_change_reason="erased")


class Migration(migrations.Migration):
    dependencies = [("networks", "0005_actor_duplicate_check_indexes")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
