"""`make bench` (hostile requests): every reader URL with hostile query parameters, timed
against the same URL without them, on a multiplied corpus and without the page cache.

Imports ../shared/corpus/quicktakes into a fresh SQLite database, multiplies its articles
by SQL (``--copies``, 12 by default: about 36,000 articles, as ``bench.search`` does), then
times each reader URL (median of 3, through Django's test client) with each parameter of
tests/pathological.py's HOSTILE_PARAMETERS set to each of its HOSTILE_VALUES. Each is printed
as a ratio to the plain URL beside its ceilings (5 times the plain URL, for answers over
50 ms, and 1 s); exits 1 when any answer is a 5xx or is over a ceiling.
"""

import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.search import CHILD_ENV, command_line, multiply
from tests.folders import CORPUS
from tests.pathological import HOSTILE_PARAMETERS, HOSTILE_VALUES

ROOT = Path(__file__).resolve().parent.parent
RATIO_CEILING = 5
SECONDS_CEILING = 1.0
# Below this a ratio measures the machine's noise (robots.txt answers in half a millisecond).
RATIO_FLOOR_SECONDS = 0.05
REPEAT = 3


def timed(client, url):
    samples, status = [], 200
    for _ in range(REPEAT):
        start = time.perf_counter()
        status = client.get(url).status_code
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), status


def measure(copies):
    """In a child process whose DATABASE_URL is the fresh database: build, then time."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from learn.models import Article, Subject

    call_command("migrate", verbosity=0)
    call_command("import_quicktakes", str(CORPUS), verbosity=0)
    multiply(copies)
    # An imported article (the copies have no topics).
    article = Article.objects.published().filter(tags__isnull=False).order_by("pk").first()
    subject = Subject.objects.get(pk=article.subject_id)
    topic = article.tags.order_by("slug").first()
    urls = [
        "/",
        "/learn/",
        subject.get_absolute_url(),
        article.get_absolute_url(),
        f"/topics/{topic.slug}/",
        "/search/",
        "/feed/",
        f"/learn/{subject.slug}/feed/",
        "/robots.txt",
        "/sitemap.xml",
        f"/sitemap-subject-{subject.slug}.xml",
    ]
    print(f"{connection.vendor}, {Article.objects.count():,} articles, no page cache:")
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": static},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    ).enable()
    client = Client(raise_request_exception=False)
    # Garbage pages are 404s, each logged as a warning: not what is measured here.
    logging.disable(logging.WARNING)
    failed = False
    for url in urls:
        plain, _ = timed(client, url)
        worst, worst_label = 0.0, ""
        for parameter in HOSTILE_PARAMETERS:
            for value in HOSTILE_VALUES:
                seconds, status = timed(client, f"{url}?{parameter}={value}")
                label = f"{parameter}={value[:24]}"
                if status >= 500:
                    failed = True
                    print(f"  {url} ?{label}: {status}")
                if seconds > worst:
                    worst, worst_label = seconds, label
        ratio = worst / plain
        over = worst > SECONDS_CEILING or (ratio > RATIO_CEILING and worst > RATIO_FLOOR_SECONDS)
        failed = failed or over
        print(
            f"  {url[:48]:<48} plain {plain * 1000:7.1f} ms, worst {worst * 1000:7.1f} ms"
            f" ({worst_label}) {ratio:4.1f}x  (ceilings {RATIO_CEILING}x, "
            f"{SECONDS_CEILING:.0f} s){'  OVER' if over else ''}"
        )
    return failed


def main():
    args = command_line(__doc__, measure)
    with tempfile.TemporaryDirectory(prefix="quicktakes-bench-hostile-") as workdir:
        database = f"sqlite:///{Path(workdir) / 'hostile.sqlite3'}"
        env = {**os.environ, **CHILD_ENV, "DATABASE_URL": database}
        child = [sys.executable, "-m", "bench.hostile", "--measure", "--copies", str(args.copies)]
        done = subprocess.run(child, env=env, cwd=ROOT)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
