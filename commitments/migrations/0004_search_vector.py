"""A stored tsvector of each commitment's text, on PostgreSQL kept up to date by
a trigger and indexed with GIN, so that ranking reads it instead of parsing
every matched text again. Replaces 0003's expression index. On SQLite the
column exists but stays empty: there the explorer matches words plainly."""

import django.contrib.postgres.search
from django.db import migrations

TRIGGER = """
CREATE TRIGGER commitment_search_vector_update
BEFORE INSERT OR UPDATE OF text ON commitments_commitment
FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.english', text);
UPDATE commitments_commitment SET search_vector = to_tsvector('pg_catalog.english', text);
DROP INDEX IF EXISTS commitment_text_search;
CREATE INDEX commitment_search_vector ON commitments_commitment USING gin (search_vector);
"""

REVERSE = """
DROP INDEX IF EXISTS commitment_search_vector;
DROP TRIGGER IF EXISTS commitment_search_vector_update ON commitments_commitment;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0003_commitment_search_index")]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
