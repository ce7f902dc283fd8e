"""Complaint emails move to the portal's one outbox (compacts.Email, compacts 0003), each marked with the complaint
it is about."""

from django.db import migrations


def copy(apps, schema_editor):
    Old = apps.get_model("disputes", "Email")
    New = apps.get_model("compacts", "Email")
    db = schema_editor.connection.alias
    New.objects.using(db).bulk_create(
        New(
            to=email.to,
            subject=email.subject,
            body=email.body,
            about=f"complaint:{email.complaint_id}" if email.complaint_id else "",
            dedupe_key=email.dedupe_key,
            created_at=email.created_at,
            sent_at=email.sent_at,
            attempts=email.attempts,
            last_error=email.last_error,
        )
        for email in Old.objects.using(db).order_by("created_at", "id").iterator(2000)
    )


class Migration(migrations.Migration):
    dependencies = [("disputes", "0004_event_acting_as"), ("compacts", "0003_email_outbox")]

    operations = [
        migrations.RunPython(copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="Email"),
    ]
