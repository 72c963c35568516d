"""Re-render every article's stored answer HTML with the current renderer.

Answers are rendered when saved, so a change to ``learn.rendering`` reaches articles
only as they are saved again; run this once after deploying such a change.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from learn.models import Article
from learn.rendering import render_answer

BATCH = 500


class Command(BaseCommand):
    help = "Re-render every article's answer HTML with the current renderer."

    def handle(self, *args, **options):
        total, changed, batch = 0, 0, []
        with transaction.atomic():
            articles = Article.objects.only("pk", "answer", "answer_html").order_by("pk")
            for article in articles.iterator(chunk_size=BATCH):
                total += 1
                html = render_answer(article.answer)
                if html != article.answer_html:
                    article.answer_html = html
                    batch.append(article)
                if len(batch) == BATCH:
                    changed += Article.objects.bulk_update(batch, ["answer_html"])
                    batch = []
            changed += Article.objects.bulk_update(batch, ["answer_html"])
        if options["verbosity"]:
            self.stdout.write(f"Re-rendered {changed} of {total} answers.")
