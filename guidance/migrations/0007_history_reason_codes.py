"""History reasons are stored as codes and translated when shown (portal.core.history.Reason).

Earlier versions stored texts: the German or English text of "edited in the portal", and a German
text for the demo content. They become the codes "edited" and "seed"; the history keeps who and when.
"""

from django.db import migrations

LEGACY = {
    "Edited in the portal": "edited",
    "Im Portal bearbeitet": "edited",
    "Demo- und Grundinhalte (seed_demo)": "seed",
}
HISTORICAL_MODELS = (
    "HistoricalRoadmapStep", "HistoricalChecklistTask", "HistoricalMaterial", "HistoricalGuidancePage",
    "HistoricalStepProgress", "HistoricalResolutionEvidence",
)


def to_codes(apps, schema_editor):
    for name in HISTORICAL_MODELS:
        model = apps.get_model("guidance", name)
        for text, code in LEGACY.items():
            model.objects.filter(history_change_reason=text).update(history_change_reason=code)


class Migration(migrations.Migration):
    dependencies = [("guidance", "0006_example_search_vector_inline")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
