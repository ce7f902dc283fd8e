"""How well keyword search answers the questions in fixtures/search/relevance.yaml: recall in the first 20
results, and the reciprocal rank of the first relevant commitment, per question and on average."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from .models import Commitment, RelatedTerms
from .search import keyword_search, parse

RELEVANCE = Path(settings.BASE_DIR) / "fixtures" / "search" / "relevance.yaml"
TOP = 20


@dataclass
class Answer:
    question: str
    query: str
    relevant: set
    found: list  # compact-slug/ref of every result, best first

    @property
    def recall(self):
        return len(self.relevant & set(self.found[:TOP])) / len(self.relevant)

    @property
    def reciprocal_rank(self):
        return next((1 / n for n, ref in enumerate(self.found, start=1) if ref in self.relevant), 0.0)


def questions():
    return yaml.safe_load(RELEVANCE.read_text())


def answers(queryset=None):
    """Each question's search, run on the database `queryset` reads (all commitments by default)."""
    queryset = queryset if queryset is not None else Commitment.objects.all()
    related = [terms.term_list() for terms in RelatedTerms.objects.using(queryset.db)]
    results = []
    for item in questions():
        found = keyword_search(queryset, parse(item["query"], related)).values_list("compact__slug", "ref")
        results.append(
            Answer(item["question"], item["query"], set(item["relevant"]), [f"{slug}/{ref}" for slug, ref in found])
        )
    return results


def summary(results):
    """Mean recall in the first 20, and mean reciprocal rank."""
    return (
        sum(answer.recall for answer in results) / len(results),
        sum(answer.reciprocal_rank for answer in results) / len(results),
    )
