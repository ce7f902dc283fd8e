"""A record names who is on its other side: the organisations consulted, funded or paid, asked to confirm or dispute
a record an organisation makes of its own doing. Records made before name none (a funder's own record still has the
organisation it funded or paid, its counterpart, on the other side)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0011_commissioning_theme"),
        ("compacts", "0014_event_kind_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="record",
            name="others",
            field=models.ManyToManyField(
                blank=True,
                help_text="The organisations consulted (or, for funding and payments, others besides the one funded "
                "or paid). On a record an organisation makes of its own doing, they are the other side, asked to "
                "confirm or dispute it.",
                related_name="records_as_other",
                to="compacts.organisation",
            ),
        ),
    ]
