"""Versions kept before a version's content held everything the Compact page shows get what they lack: commitments'
numbers, lead-ins and sectors, the printed signatories and contacts, and figures' quotes and where they are printed.

None of these could be changed by a review, so the tables hold them as they were when each version was published;
the words a review could change (section texts, principles, commitments, stages, figures' values) are kept as each
version has them. Running it twice changes nothing."""

from django.db import migrations
from django.utils.text import slugify

# The order a section shows its items in (documents.versions.KINDS, as it is now).
KINDS = ["principle", "commitment", "signatory", "contact", "stage", "glossary", "code", "case_study"]


def _source(figure):
    if figure.commitment_id:
        return f"commitment:{figure.commitment.ref}"
    if figure.case_study_id:
        return f"case_study:{figure.case_study.ref}"
    return f"section:{figure.section.ref}"


def fill_in(apps, schema_editor):
    CompactVersion = apps.get_model("compacts", "CompactVersion")
    Section = apps.get_model("compacts", "Section")
    Signatory = apps.get_model("compacts", "Signatory")
    Contact = apps.get_model("compacts", "Contact")
    Commitment = apps.get_model("commitments", "Commitment")
    Figure = apps.get_model("commitments", "Figure")
    for version in CompactVersion.objects.order_by("pk").iterator():
        content, compact = version.content, version.compact_id
        items = content["items"]
        present = {(item["kind"], item["ref"]) for item in items}
        commitments = {
            c.ref: c for c in Commitment.objects.filter(compact_id=compact).only("ref", "number", "lead_in", "sector")
        }
        for item in items:
            commitment = commitments.get(item["ref"]) if item["kind"] == "commitment" else None
            if commitment is not None:
                item.setdefault("number", commitment.number)
                item.setdefault("lead_in", commitment.lead_in)
                item.setdefault("sector", commitment.sector)
        signatories = (
            Signatory.objects.filter(compact_id=compact, section__isnull=False, joined_on__isnull=True)
            .exclude(role="lead")  # named in the words before the printed list, not in it
            .select_related("organisation", "section")
            .order_by("section__order", "order")
        )
        for s in signatories:
            ref = slugify(f"{s.organisation.name} {s.role}")
            if ("signatory", ref) not in present:
                items.append(
                    {
                        "kind": "signatory",
                        "ref": ref,
                        "section": s.section.ref,
                        "label": s.printed_name,
                        "text": s.printed_name,
                    }
                )
        for c in (
            Contact.objects.filter(compact_id=compact).select_related("section").order_by("section__order", "order")
        ):
            if ("contact", c.ref) not in present:
                items.append(
                    {
                        "kind": "contact",
                        "ref": c.ref,
                        "section": c.section.ref,
                        "label": c.label,
                        "text": c.details,
                        "placeholder": c.placeholder,
                    }
                )
        order = dict(Section.objects.filter(compact_id=compact).values_list("ref", "order"))
        # A stable sort: the items a version kept stay in its order within their section and kind.
        content["items"] = sorted(
            items, key=lambda item: (order.get(item["section"], len(order) + 1), KINDS.index(item["kind"]))
        )
        figures = {
            f"{f.kind}:{f.ref}": f
            for f in Figure.objects.filter(compact_id=compact).select_related("commitment", "case_study", "section")
        }
        for entry in content["figures"]:
            figure = figures.get(entry["ref"])
            entry.setdefault("quote", figure.quote if figure else "")
            entry.setdefault("source", _source(figure) if figure else "")
        version.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0010_review_dates_and_reasons"),
        ("commitments", "0009_record_imports"),
    ]

    operations = [migrations.RunPython(fill_in, migrations.RunPython.noop)]
