"""The themes and commitments a work-plan action serves (a join table each: the commitments table itself is
untouched, so its SQLite full-text triggers stay)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0006_sqlite_full_text"),
        ("compacts", "0006_work_plan"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="work_plan_actions",
            field=models.ManyToManyField(blank=True, related_name="commitments", to="compacts.workplanaction"),
        ),
        migrations.AddField(
            model_name="theme",
            name="work_plan_actions",
            field=models.ManyToManyField(blank=True, related_name="themes", to="compacts.workplanaction"),
        ),
    ]
