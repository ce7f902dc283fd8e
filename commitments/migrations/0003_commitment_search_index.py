"""A GIN index for full-text search of commitments, on PostgreSQL only (SQLite
has no text-search functions; there the explorer matches words plainly)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("text", config="english"), name="commitment_text_search")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("commitments", "Commitment"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("commitments", "Commitment"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0002_load_themes")]

    operations = [migrations.RunPython(create_index, drop_index)]
