"""Work plans: a Compact's actions for each year, and a steering group role to keep them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0005_compact_pledge"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="compactrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("chair", "Steering group or panel chair"),
                    ("steering_group", "Steering group or theme group member"),
                    ("critical_friend", "Critical friend"),
                    ("administrator", "Compact administrator"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="WorkPlanAction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("lead", models.CharField(help_text="Who leads it: an organisation, group or person.", max_length=200)),
                ("due_on", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Not started"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                            ("dropped", "Dropped"),
                        ],
                        default="planned",
                        max_length=20,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "compact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="work_plan", to="compacts.compact"
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who is reminded when it falls overdue.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="work_plan_actions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["year", "due_on", "id"],
                "indexes": [models.Index(fields=["compact", "year"], name="work_plan_by_year")],
            },
        ),
    ]
