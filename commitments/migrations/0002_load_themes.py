"""Load the shared theme taxonomy, which every Compact fixture refers to, so
that `loaddata fixtures/<compact>.yaml` works on a freshly migrated database."""

from django.core.management import call_command
from django.db import migrations


def load_themes(apps, schema_editor):
    call_command("loaddata", "themes", verbosity=0, database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
