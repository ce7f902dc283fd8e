"""On SQLite, a full-text index of each commitment's text with stemming (FTS5, porter tokenizer), kept in step with
the commitments by triggers, as PostgreSQL's search vector is kept by its trigger (0004). Both are built here from
the text already stored, so a fresh `make run` has them.

Django rebuilds a SQLite table to alter it, which drops its triggers: a later migration that alters
commitments_commitment on SQLite must run CREATE_TRIGGERS again (the tests check the index follows every change).
"""

from django.db import migrations

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE commitments_commitment_fts USING fts5("
    "text, content='commitments_commitment', content_rowid='id', tokenize='porter unicode61')"
)
CREATE_TRIGGERS = [
    "CREATE TRIGGER commitment_fts_insert AFTER INSERT ON commitments_commitment BEGIN "
    "INSERT INTO commitments_commitment_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER commitment_fts_delete AFTER DELETE ON commitments_commitment BEGIN "
    "INSERT INTO commitments_commitment_fts(commitments_commitment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER commitment_fts_update AFTER UPDATE OF text ON commitments_commitment BEGIN "
    "INSERT INTO commitments_commitment_fts(commitments_commitment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO commitments_commitment_fts(rowid, text) VALUES (new.id, new.text); END",
]
REBUILD = "INSERT INTO commitments_commitment_fts(commitments_commitment_fts) VALUES ('rebuild')"
DROP = [
    "DROP TRIGGER IF EXISTS commitment_fts_insert",
    "DROP TRIGGER IF EXISTS commitment_fts_delete",
    "DROP TRIGGER IF EXISTS commitment_fts_update",
    "DROP TABLE IF EXISTS commitments_commitment_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [CREATE_TABLE, *CREATE_TRIGGERS, REBUILD]:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0005_related_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
