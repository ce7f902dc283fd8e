"""The outbox moves to the Compact side, so that sign-ups, memberships and Champions can email too (disputes 0005
copies the complaint emails into it)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0002_people_and_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="Email",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("to", models.EmailField(max_length=254)),
                ("subject", models.CharField(max_length=300)),
                ("body", models.TextField()),
                ("about", models.CharField(blank=True, max_length=100)),
                ("dedupe_key", models.CharField(blank=True, max_length=200, null=True, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["created_at", "id"],
                "indexes": [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent")],
            },
        ),
    ]
