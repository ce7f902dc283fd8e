from django.db import migrations

# The five subjects the Dacorum jargon buster's "Codes of Practice" entry names were loaded as codes of practice of
# the Dacorum Compact; the document prints none of its own (fixtures/dacorum.yaml no longer has them). Loading a
# fixture again cannot remove rows, so this does, for databases loaded before.
NAMED_IN_THE_GLOSSARY = [
    "volunteering",
    "consultation",
    "funding-and-procurement",
    "ethnic-minority-voluntary-and-community-organisations",
    "community-groups",
]


def remove(apps, schema_editor):
    CodeOfPractice = apps.get_model("compacts", "CodeOfPractice")
    CodeOfPractice.objects.filter(compact__slug="dacorum", ref__in=NAMED_IN_THE_GLOSSARY).delete()


class Migration(migrations.Migration):
    dependencies = [("compacts", "0012_closed_bodies")]

    operations = [migrations.RunPython(remove, migrations.RunPython.noop)]
