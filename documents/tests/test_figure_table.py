"""Every figure of the five Compacts, held against the table in fixtures/README.md and against its own printed words:
the table is what a reviewer reads, the fixtures what the portal shows, and neither may drift from the other."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from commitments.models import Figure, FigureBound, FigureFirmness
from conftest import kept_for_the_module
from disputes.models import Stage

README = Path(__file__).resolve().parents[2] / "fixtures" / "README.md"
COMPACTS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(
        django_db_blocker, lambda: call_command("loaddata", "themes", *COMPACTS, verbosity=0)
    )


@pytest.fixture
def figures(_loaded, db):
    """Every figure of the five Compacts, loaded once for the module."""
    return list(
        Figure.objects.select_related("compact", "commitment", "case_study", "section").order_by(
            "compact__slug", "kind", "ref"
        )
    )


def readme_rows():
    """The rows of the table under "## Figures: every one, and what it means"."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Figures: every one, and what it means", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[2:]]


def row(figure):
    if figure.commitment_id:
        where = f"commitment {figure.commitment.number or figure.commitment.ref}"
    elif figure.case_study_id:
        where = f"case study “{figure.case_study.title}”"
    else:
        where = f"running text: {figure.section.ref}"
    qualifier = f"{figure.bound}, {figure.firmness}" + (
        f": “{figure.qualifier_words}”" if figure.qualifier_words else ""
    )
    return [
        figure.compact.slug,
        where,
        f"{figure.kind} ({figure.ref})",
        "none printed" if figure.value is None else f"{figure.value} {figure.unit}",
        qualifier,
        figure.whose or "not stated",
        figure.measures,
        figure.quote,
    ]


def test_the_readme_table_is_every_figure_as_the_fixtures_hold_it(figures):
    assert readme_rows() == [row(figure) for figure in figures]
    assert {figure.compact.slug for figure in figures} == set(COMPACTS)


def _flat(text):
    return re.sub(r"\s+", " ", text.replace("- ", " ")).strip()


def test_each_figure_is_read_from_its_printed_words(figures):
    """Its quote and qualifiers from its source; case studies' figures only examples; no number where none is
    printed. (One test: loading the five Compacts is most of its time.)"""
    for figure in figures:
        if figure.commitment_id:
            printed = figure.commitment.text
        elif figure.case_study_id:
            printed = figure.case_study.body
        else:
            printed = f"{figure.section.body} {figure.section.body_after}"
        printed = _flat(printed)
        assert _flat(figure.quote) in printed, (figure.compact.slug, figure.kind, figure.ref)
        for part in figure.qualifier_parts():
            assert part in figure.quote, (figure.compact.slug, figure.kind, part)
        assert (figure.value is None) == (figure.unit == ""), figure
        # A bound or a qualifier is read from printed words, never assumed.
        if figure.bound != FigureBound.AS_STATED or figure.firmness not in (
            FigureFirmness.FIRM,
            FigureFirmness.EXAMPLE,
        ):
            assert figure.qualifier_words, (figure.compact.slug, figure.kind, figure.ref)
    # A case study's figures are examples, and no stage takes its time limit from one.
    from_case_studies = [figure for figure in figures if figure.case_study_id]
    assert from_case_studies, "Darlington's Grant Funding case study prints a figure"
    assert {figure.firmness for figure in from_case_studies} == {FigureFirmness.EXAMPLE}
    assert not Stage.objects.exclude(time_limit_case_study=None).exists()
    assert not Stage.objects.filter(time_limit_origin="case_study").exists()
    # Four documents commit to multi-year funding without printing a number.
    unnumbered = {(f.compact.slug, f.commitment.ref) for f in figures if f.kind == "funding_term" and f.value is None}
    assert unnumbered == {
        ("county-durham", "3.4"),
        ("dacorum", "statutory-funding-4"),
        ("darlington", "public-6"),
        ("dorset", "funding-3"),
    }
