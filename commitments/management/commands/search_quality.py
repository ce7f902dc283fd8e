from django.core.management.base import BaseCommand
from django.db import connection

from commitments import quality


class Command(BaseCommand):
    help = "Recall in the first 20 results and mean reciprocal rank of keyword search over the relevance set."

    def add_arguments(self, parser):
        parser.add_argument("--verbose-misses", action="store_true", help="List the relevant commitments missed.")

    def handle(self, *args, verbose_misses=False, **options):
        results = quality.answers()
        width = max(len(answer.query) for answer in results)
        for answer in results:
            self.stdout.write(f"{answer.query:<{width}}  recall {answer.recall:4.2f}  RR {answer.reciprocal_rank:4.2f}")
            if verbose_misses:
                for ref in sorted(answer.relevant - set(answer.found[: quality.TOP])):
                    self.stdout.write(f"    missed {ref}")
        recall, mrr = quality.summary(results)
        self.stdout.write(
            f"{connection.vendor}: {len(results)} questions, recall@{quality.TOP} {recall:.3f}, MRR {mrr:.3f}"
        )
