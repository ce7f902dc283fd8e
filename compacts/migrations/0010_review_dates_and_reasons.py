"""The event that dates a Compact's document itself (its review cycle is counted from it), and a drafted figure
change's quote and the reviewer's reason where a figure and its wording will differ."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0009_contact_points"),
    ]

    operations = [
        migrations.AddField(
            model_name="compactevent",
            name="dates_document",
            field=models.BooleanField(
                default=False,
                help_text="This event dates the document itself, not an earlier Compact it revises or replaces: a "
                "review cycle is counted from it.",
            ),
        ),
        migrations.AddConstraint(
            model_name="compactevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dates_document", True)),
                fields=("compact",),
                name="one_document_date_per_compact",
            ),
        ),
        migrations.AlterField(
            model_name="reviewchange",
            name="value",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="reviewchange",
            name="quote",
            field=models.TextField(blank=True, help_text="A figure's quote after the review; empty for other kinds."),
        ),
        migrations.AddField(
            model_name="reviewchange",
            name="reason",
            field=models.TextField(blank=True, help_text="Why a figure and its wording will differ, where they will."),
        ),
    ]
