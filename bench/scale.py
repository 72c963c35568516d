"""`make bench-scale`: what each page costs at 10k, 100k (and 1M) articles, uncached.

The 3,000-file sample is imported once into a base database; each size is a copy of it
multiplied by SQL (INSERT … SELECT): every article, its tags and its related links are
copied with a suffixed slug, so subjects, topics and links grow in proportion. Each page
is then requested in process through Django's test client with a dummy cache (no page
cache, no cached navigation: the first reader after a change, every crawler), and the
median time, the query count and the ratio to the 10k figure are printed.

PostgreSQL at 10k and 100k (1M with BENCH_SCALE_1M=1), SQLite at 100k. The PostgreSQL
server is BENCH_SCALE_POSTGRES (default postgres://postgres@127.0.0.1:5432/); databases
are named BENCH_SCALE_PREFIX + size and dropped when measured.

With BENCH_SCALE_KEEP=1 the databases are kept (the SQLite ones in bench/out/scale/), and
a run finding one of them measures it again after migrating it, without rebuilding it: a
1M build takes half an hour, a change that adds no stored data needs none. (A change to
what the import stores needs the databases dropped: they hold what the old code wrote.)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.folders import CORPUS

ROOT = Path(__file__).resolve().parent.parent
SIZES = [10_000, 100_000]
SQLITE_SIZES = [10_000, 100_000]
REPEATS = 30
BUDGET_SECONDS = 20
# What a page at the largest size may cost against the smallest (issue 12).
CEILING = 1.2
# Copies get ids of the form copy * ID_STRIDE + the original's id, so each row maps back.
ID_STRIDE = 10_000


def label(size):
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1_000}k"


# The child: multiply one database and measure it (DATABASE_URL names it).


def multiply(size):
    """Copy the imported articles, their tags and links until there are ``size``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from taggit.models import Tag

    from learn.models import Article, Subject, Topic

    base = Article.objects.count()
    if base >= ID_STRIDE or Article.objects.filter(pk__gte=ID_STRIDE).exists():
        raise SystemExit("bench-scale: the base database is not the imported sample")
    extra = size - base
    copies = -(-extra // base)
    remainder = extra - (copies - 1) * base
    columns = [
        f.column for f in Article._meta.concrete_fields if not f.generated and f.column != "id"
    ]
    copied = ", ".join("a.slug || '-c' || g.n" if c == "slug" else f"a.{c}" for c in columns)
    series = f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {copies})"
    # The last copy takes only the first `remainder` originals.
    wanted = f"(g.n < {copies} OR b.r < {remainder})"
    article_type = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE scale_base AS "
            "SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS r FROM learn_article"
        )
        cursor.execute(
            f"{series} INSERT INTO learn_article (id, {', '.join(columns)}) "
            f"SELECT a.id + g.n * {ID_STRIDE}, {copied} FROM learn_article a "
            f"JOIN scale_base b ON b.id = a.id CROSS JOIN g WHERE {wanted}"
        )
        cursor.execute(
            f"{series} INSERT INTO taggit_taggeditem (object_id, tag_id, content_type_id) "
            f"SELECT t.object_id + g.n * {ID_STRIDE}, t.tag_id, t.content_type_id "
            f"FROM taggit_taggeditem t JOIN scale_base b ON b.id = t.object_id CROSS JOIN g "
            f"WHERE t.content_type_id = {article_type} AND {wanted}"
        )
        # A copy is in its original's topics, with the same date (learn.TopicEntry).
        cursor.execute(
            f"{series} INSERT INTO learn_topicentry (topic_id, article_id, published_on, "
            "published_time, no_index) "
            f"SELECT e.topic_id, e.article_id + g.n * {ID_STRIDE}, e.published_on, "
            "e.published_time, e.no_index "
            f"FROM learn_topicentry e JOIN scale_base b ON b.id = e.article_id CROSS JOIN g "
            f"WHERE {wanted}"
        )
        # A link points at its target's copy when that copy exists, else at the original.
        has_copy = f"(g.n < {copies} OR tb.r < {remainder})"
        cursor.execute(
            f"{series} INSERT INTO learn_relatedlink (article_id, position, target_source_id, "
            "target_title, target_subject, target_url, target_id) "
            f"SELECT l.article_id + g.n * {ID_STRIDE}, l.position, l.target_source_id, "
            "l.target_title, l.target_subject, "
            f"CASE WHEN {has_copy} THEN l.target_url || '-c' || g.n ELSE l.target_url END, "
            f"CASE WHEN {has_copy} THEN l.target_id + g.n * {ID_STRIDE} ELSE l.target_id END "
            "FROM learn_relatedlink l JOIN scale_base b ON b.id = l.article_id "
            f"LEFT JOIN scale_base tb ON tb.id = l.target_id CROSS JOIN g WHERE {wanted}"
        )
        cursor.execute("DROP TABLE scale_base")
        if connection.vendor == "postgresql":
            copied_tables = ("learn_article", "taggit_taggeditem", "learn_topicentry")
            for table in (*copied_tables, "learn_relatedlink"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    # What every writer does after its write: the stored counts follow the copies.
    Subject.objects.all().recount()
    Topic.objects.recount_tags(Tag.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            connection.connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def pages():
    """(name, URL, needs an editor) for each page of issue 12's table."""
    from django.db.models import Count
    from taggit.models import Tag

    from learn import paths
    from learn.models import Article, Subject
    from learn.topics import find_topic

    article = Article.objects.published().select_related("subject").order_by("pk").first()
    subject = Subject.objects.annotate(n=Count("articles")).order_by("-n").first()
    last_page = -(-subject.n // 20)
    deep = min(500, last_page)
    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    topic = find_topic(tag.slug)
    topic_pages = -(-topic.live_articles // 20)
    return [
        ("article", article.get_absolute_url(), False),
        ("home", "/", False),
        ("/learn/", "/learn/", False),
        # The largest subject's last page, up to 500: deeper as the corpus grows.
        ("subject list, page ≤ 500", f"{paths.subject_path(subject.slug)}?page={deep}", False),
        ("topic, most common", f"/topics/{topic.slug}/", False),
        ("topic, last page ≤ 500", f"/topics/{topic.slug}/?page={min(500, topic_pages)}", False),
        ("topics index", "/topics/", False),
        ("topics A to Z, letter s", "/topics/a-z/s/", False),
        ("search, common word", "/search/?q=energy", False),
        ("search, phrase", "/search/?q=%22supply+and+demand%22", False),
        ("/sitemap.xml", "/sitemap.xml", False),
        ("one subject's sitemap", f"/sitemap-subject-{subject.slug}.xml", False),
        ("admin article list", "/admin/learn/article/", True),
        ("admin list, search energy", "/admin/learn/article/?q=energy", True),
        ("admin list, search answers", "/admin/learn/article/?q=photosynthesis", True),
        ("admin list, dangling filter", "/admin/learn/article/?dangling=yes", True),
        ("bare Django view", "/bench/bare", False),
    ]


def measure_page(client, url):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench-scale: {url} answered {response.status_code}")
    times = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    while len(times) < REPEATS and (len(times) < 3 or time.perf_counter() < deadline):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 95), len(queries)


def percentile(times, p):
    """The ``p``th percentile of ``times`` (nearest rank)."""
    ordered = sorted(times)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def measure(size):
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from learn.models import Article

    if Article.objects.count() != size:
        multiply(size)
    reader, editor = Client(), Client()
    user = User.objects.filter(username="bench-scale").first()
    editor.force_login(user or User.objects.create_superuser("bench-scale", password=None))
    results = []
    for name, url, admin in pages():
        ms, p95, queries = measure_page(editor if admin else reader, url)
        results.append({"page": name, "ms": ms, "p95": p95, "queries": queries})
    print(json.dumps(results))


# The parent: build the databases, run a child per size, print the table.


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def child_env(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.scale_settings",
    }


def migrate(database_url):
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], child_env(database_url))


def build_base(database_url):
    migrate(database_url)
    run(
        [sys.executable, "manage.py", "import_quicktakes", str(CORPUS), "-v0"],
        child_env(database_url),
    )


def measure_child(database_url, size):
    out = run(
        [sys.executable, "-m", "bench.scale", "measure", str(size)],
        child_env(database_url),
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def postgres(server, sql, **kwargs):
    return run(
        ["psql", "-q", "-X", "-t", "-A", "-v", "ON_ERROR_STOP=1", f"{server}postgres", "-c", sql],
        os.environ,
        **kwargs,
    )


def postgres_exists(server, name):
    found = postgres(
        server,
        f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        capture_output=True,
        text=True,
    )
    return found.stdout.strip() == "1"


def print_table(title, measured):
    sizes = list(measured)
    print(
        f"\n{title}: median ms uncached (queries), ratio to the smallest size "
        f"(ceiling {CEILING}x), p95 at {label(sizes[-1])}"
    )
    first = measured[sizes[0]]
    header = f"{'page':<30}" + "".join(f"{label(s):>18}" for s in sizes)
    print(header + f"{'ratio':>8}{'p95':>12}")
    for i, row in enumerate(first):
        cells = "".join(
            f"{measured[s][i]['ms']:>10.1f} ms ({measured[s][i]['queries']:>2})" for s in sizes
        )
        last = measured[sizes[-1]][i]
        ratio = last["ms"] / row["ms"]
        over = " over" if ratio > CEILING and row["page"] != "bare Django view" else ""
        print(f"{row['page']:<30}{cells}{ratio:>7.1f}x{last['p95']:>9.1f} ms{over}")


def main():
    if not CORPUS.is_dir():
        sys.exit(f"bench-scale: the corpus is missing: {CORPUS}")
    server = os.environ.get("BENCH_SCALE_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
    prefix = os.environ.get("BENCH_SCALE_PREFIX", "quicktakes_scale_")
    sizes = SIZES + ([1_000_000] if os.environ.get("BENCH_SCALE_1M") == "1" else [])
    keep = os.environ.get("BENCH_SCALE_KEEP") == "1"
    if keep:
        workdir = ROOT / "bench" / "out" / "scale"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="quicktakes-scale-"))
    try:
        base = f"{prefix}base"
        base_built = False
        measured = {}
        for size in sizes:
            name = f"{prefix}{label(size).lower()}"
            if keep and postgres_exists(server, name):
                migrate(server + name)
            else:
                if not base_built:
                    postgres(server, f"DROP DATABASE IF EXISTS {base}")
                    postgres(server, f"CREATE DATABASE {base}")
                    build_base(server + base)
                    base_built = True
                postgres(server, f"DROP DATABASE IF EXISTS {name}")
                postgres(server, f"CREATE DATABASE {name} TEMPLATE {base}")
            try:
                measured[size] = measure_child(server + name, size)
            finally:
                if not keep:
                    postgres(server, f"DROP DATABASE IF EXISTS {name}")
        if base_built:
            postgres(server, f"DROP DATABASE {base}")
        print_table("PostgreSQL", measured)

        sqlite_base = workdir / "base.sqlite3"
        measured = {}
        for size in SQLITE_SIZES:
            copy = workdir / f"{label(size)}.sqlite3"
            if keep and copy.exists():
                migrate(f"sqlite:///{copy}")
            else:
                if not sqlite_base.exists():
                    build_base(f"sqlite:///{sqlite_base}")
                shutil.copy(sqlite_base, copy)
            measured[size] = measure_child(f"sqlite:///{copy}", size)
            if not keep:
                copy.unlink()
        sqlite_base.unlink(missing_ok=True)
        print_table("SQLite", measured)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        measure(int(sys.argv[2]))
    else:
        main()
