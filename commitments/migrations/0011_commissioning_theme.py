"""Bring an existing database's themes up to fixtures/themes.yaml: the new theme "Commissioning and procurement",
and the themes after it one place further down. Order is unique, so every theme first moves out of the way
(a theme kept only in this database ends up after the file's themes, in its old order); on a new database, where
0002 has loaded the file already, this loads the same rows again."""

from django.core.management import call_command
from django.db import migrations
from django.db.models import F

OUT_OF_THE_WAY = 1000  # more than any order the file gives


def load_themes_again(apps, schema_editor):
    Theme = apps.get_model("commitments", "Theme")
    Theme.objects.using(schema_editor.connection.alias).update(order=F("order") + OUT_OF_THE_WAY)
    call_command("loaddata", "themes", verbosity=0, database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0010_figure_meaning")]

    operations = [migrations.RunPython(load_themes_again, migrations.RunPython.noop)]
