"""A Compact's own pledge wording, where its document prints one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0004_signing_up"),
    ]

    operations = [
        migrations.AddField(
            model_name="compact",
            name="pledge",
            field=models.TextField(
                blank=True,
                help_text="The wording an organisation pledges when it signs up, where the document prints one.",
            ),
        ),
    ]
