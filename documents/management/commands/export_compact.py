from django.core.management.base import BaseCommand, CommandError

from compacts.models import Compact
from documents import textformat


class Command(BaseCommand):
    help = "Write a Compact in the portal's plain text format (see docs/guides/site-administrators.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        compact = Compact.objects.filter(slug=slug).first()
        if compact is None:
            raise CommandError(f"There is no Compact called {slug!r}.")
        self.stdout.write(textformat.export(compact))
