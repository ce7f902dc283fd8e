"""Sign-ups, confirmed email addresses, Champions' consent and the manage area's record of changes.

Accounts made before addresses were confirmed count as confirmed: an administrator confirmed their memberships."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def confirm_existing_addresses(apps, schema_editor):
    db = schema_editor.connection.alias
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    ConfirmedEmail = apps.get_model("compacts", "ConfirmedEmail")
    ConfirmedEmail.objects.using(db).bulk_create(
        ConfirmedEmail(user_id=pk, email=email)
        for pk, email in User.objects.using(db).exclude(email="").values_list("pk", "email").iterator(2000)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0003_email_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("action", models.CharField(max_length=100)),
                ("subject", models.CharField(help_text="What was changed, in words.", max_length=300)),
                ("before", models.JSONField(blank=True, default=dict)),
                ("after", models.JSONField(blank=True, default=dict)),
            ],
            options={
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ConfirmedEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254)),
                ("confirmed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name="SignUp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("signed_by_name", models.CharField(max_length=200)),
                ("signed_by_role", models.CharField(max_length=200)),
                ("pledge", models.TextField(help_text="The wording pledged, as shown to the person who signed.")),
                ("pledge_source", models.CharField(help_text="Where that wording comes from.", max_length=200)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for an administrator"),
                            ("confirmed", "Signed up"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-requested_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="membership",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="public_contact",
            field=models.BooleanField(
                default=False,
                help_text="For a Champion: they agreed to their name and email being shown on the Compact page.",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="reason",
            field=models.TextField(blank=True, help_text="Why it was refused, as the person was told."),
        ),
        migrations.AddField(
            model_name="organisation",
            name="identifier",
            field=models.CharField(blank=True, help_text="As its register gives it, e.g. 1123456.", max_length=20),
        ),
        migrations.AddField(
            model_name="organisation",
            name="identifier_scheme",
            field=models.CharField(
                blank=True,
                choices=[
                    ("charity", "Registered charity number"),
                    ("company", "Company number"),
                    ("public_body", "Public body code"),
                    ("", "None"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="signatory",
            name="section",
            field=models.ForeignKey(
                blank=True,
                help_text="Where the document prints it; none for an organisation that signed up in the portal.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signatories",
                to="compacts.section",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("identifier", ""), _negated=True),
                fields=("identifier_scheme", "identifier"),
                name="organisation_identifier_unique",
            ),
        ),
        migrations.AddField(
            model_name="changerecord",
            name="by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="changerecord",
            name="compact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="changes", to="compacts.compact"
            ),
        ),
        migrations.AddField(
            model_name="confirmedemail",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="confirmed_email", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="signup",
            name="compact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="sign_ups", to="compacts.compact"
            ),
        ),
        migrations.AddField(
            model_name="signup",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="signup",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="sign_ups", to="compacts.organisation"
            ),
        ),
        migrations.AddField(
            model_name="signup",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="sign_ups", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="signup",
            name="signatory",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sign_up",
                to="compacts.signatory",
            ),
        ),
        migrations.AddIndex(
            model_name="changerecord",
            index=models.Index(fields=["compact", "-at"], name="change_by_compact"),
        ),
        migrations.AddConstraint(
            model_name="signup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "confirmed"])),
                fields=("compact", "organisation"),
                name="one_live_sign_up_per_organisation",
            ),
        ),
        migrations.RunPython(confirm_existing_addresses, migrations.RunPython.noop),
    ]
