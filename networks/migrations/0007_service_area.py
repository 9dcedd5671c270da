"""Service areas need the served municipality's confirmation (security finding: a coordinator could
attach partners to another municipality's network).

The plain many-to-many table ``networks_actor_serves`` becomes the model ``ServiceArea`` without being
rebuilt (state only), then gains who asked and who confirmed. Existing areas within the partner's own
reach (its home, or a member of its home Kreis) count as confirmed; any other waits for the served
municipality's coordinators.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def confirm_areas_within_reach(apps, schema_editor):
    ServiceArea = apps.get_model("networks", "ServiceArea")
    now = timezone.now()
    for area in ServiceArea.objects.select_related("actor__municipality", "municipality").iterator():
        home, served = area.actor.municipality, area.municipality
        if served.pk == home.pk or served.parent_id == home.pk:
            ServiceArea.objects.filter(pk=area.pk).update(confirmed_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0006_history_reason_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ServiceArea",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="networks.actor",
                                                    verbose_name="network partner")),
                        ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                           to="networks.municipality", verbose_name="municipality served")),
                    ],
                    options={
                        "verbose_name": "service area",
                        "verbose_name_plural": "service areas",
                        "db_table": "networks_actor_serves",
                        "unique_together": {("actor", "municipality")},
                    },
                ),
                migrations.AlterField(
                    model_name="actor",
                    name="serves",
                    field=models.ManyToManyField(blank=True, related_name="served_by", through="networks.ServiceArea",
                                                 to="networks.municipality", verbose_name="municipalities served"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="servicearea",
            name="requested_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="requested"),
        ),
        migrations.AddField(
            model_name="servicearea",
            name="requested_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="requested by"),
        ),
        migrations.AddField(
            model_name="servicearea",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmed"),
        ),
        migrations.AddField(
            model_name="servicearea",
            name="confirmed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="confirmed by"),
        ),
        migrations.AddIndex(
            model_name="servicearea",
            index=models.Index(fields=["municipality", "confirmed_at"], name="networks_servicearea_confirmed"),
        ),
        migrations.RunPython(confirm_areas_within_reach, migrations.RunPython.noop),
    ]
