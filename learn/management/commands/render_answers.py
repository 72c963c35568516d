"""Re-render every article's stored answer HTML with the current renderer.

Answers are rendered when saved, so a change to ``learn.rendering`` reaches articles
only as they are saved again; run this once after deploying such a change.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from learn.caching import content_changed
from learn.models import RENDERED_FIELDS, Article
from learn.rendering import render

BATCH = 500


class Command(BaseCommand):
    help = "Re-render every article's answer HTML with the current renderer."

    def handle(self, *args, **options):
        total, changed, batch = 0, 0, []
        with transaction.atomic():
            articles = Article.objects.only("pk", "answer", *RENDERED_FIELDS).order_by("pk")
            for article in articles.iterator(chunk_size=BATCH):
                total += 1
                before = [getattr(article, name) for name in RENDERED_FIELDS]
                article.set_answer_html(render(article.answer))
                if [getattr(article, name) for name in RENDERED_FIELDS] != before:
                    batch.append(article)
                if len(batch) == BATCH:
                    changed += Article.objects.bulk_update(batch, RENDERED_FIELDS)
                    batch = []
            changed += Article.objects.bulk_update(batch, RENDERED_FIELDS)
            if changed:
                content_changed(everything=True)
        if options["verbosity"]:
            self.stdout.write(f"Re-rendered {changed} of {total} answers.")
