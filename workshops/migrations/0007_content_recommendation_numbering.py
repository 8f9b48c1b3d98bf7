"""Recommendations, conclusions and lessons learned numbered within their own kind (1-n per kind per
meeting, as the report numbers them), and "Not tracked" as the default follow-up status.

Existing rows get their number from their order (position) within their kind; their follow-up status
is left as it was (staff may have set it on purpose).
"""

from django.db import migrations, models


def number_within_kind(apps, schema_editor):
    Recommendation = apps.get_model("workshops", "Recommendation")
    next_number = {}
    changed = []
    for row in Recommendation.objects.order_by("workshop_id", "position", "pk").only(
        "pk", "workshop_id", "kind", "number"
    ):
        key = (row.workshop_id, row.kind)
        next_number[key] = next_number.get(key, 0) + 1
        row.number = next_number[key]
        changed.append(row)
    Recommendation.objects.bulk_update(changed, ["number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0007_drop_unused_trigram_indexes"),
        ("workshops", "0006_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrecommendation",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Its number among the meeting's rows of the same kind, as the report numbers them (Lesson learned 1, 2 ...). Left empty, the next free number of its kind is given.",
                null=True,
                verbose_name="number within its kind",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Its number among the meeting's rows of the same kind, as the report numbers them (Lesson learned 1, 2 ...). Left empty, the next free number of its kind is given.",
                null=True,
                verbose_name="number within its kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_tracked", "Not tracked"),
                    ("open", "Open"),
                    ("in_progress", "In progress"),
                    ("done", "Done"),
                    ("dropped", "Dropped"),
                ],
                default="not_tracked",
                max_length=20,
                verbose_name="follow-up status",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_tracked", "Not tracked"),
                    ("open", "Open"),
                    ("in_progress", "In progress"),
                    ("done", "Done"),
                    ("dropped", "Dropped"),
                ],
                default="not_tracked",
                max_length=20,
                verbose_name="follow-up status",
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendation",
            constraint=models.UniqueConstraint(
                fields=("workshop", "kind", "number"),
                name="recommendation_number_unique_in_kind",
                violation_error_message="Another row of this kind of this meeting has this number.",
            ),
        ),
        migrations.RunPython(number_within_kind, migrations.RunPython.noop),
    ]
