"""Full-text search (``Article.objects.search``) on whichever database the suite runs on:
ranking, technical terms, an index kept current on every write path, snippets, the search
page and the corpus."""

import datetime
import time
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.importer import import_sources
from learn.models import Article, Subject
from learn.search import postgres, sqlite
from learn.search.terms import MAX_TERMS
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def import_article(**fields):
    slug = fields.setdefault("slug", "what-is-a-test")
    result = import_sources([Source(f"{slug}.md", article_text(**fields).encode())])
    assert not result.failed, result.failed


def ranked(query):
    return [article.slug for article in Article.objects.search(query)[:50]]


def create(question, answer="Some answer.", slug="x"):
    subject, _ = Subject.objects.get_or_create(slug="computer-science", name="Computer Science")
    return Article.objects.create(
        subject=subject, slug=slug, question=question, title=question, answer=answer
    )


def test_question_outranks_keywords_outranks_answer():
    """A match in the question ranks above one in the keywords, above one in the answer."""
    make_article(
        slug="in-answer", question="What is caching?", answer="It keeps a heap.", tags=["x"]
    )
    make_article(
        slug="in-keywords", question="What is storage?", answer="It stores.", tags=["heap"]
    )
    make_article(slug="in-question", question="What is a heap?", answer="A tree.", tags=["trees"])
    assert ranked("heap") == ["in-question", "in-keywords", "in-answer"]


def test_technical_terms_are_found():
    """C++, C#, C, Go, TCP/IP and Big O each find their own article."""
    make_article(slug="cpp", question="Why learn C++?", answer="Templates.", tags=["C++"])
    make_article(slug="csharp", question="Why learn C#?", answer="The CLR.", tags=["C#"])
    make_article(slug="c", question="Why learn C?", answer="Pointers.", tags=["C"])
    make_article(slug="go", question="Why learn Go?", answer="Goroutines.", tags=["Go"])
    make_article(slug="tcp", question="What is TCP/IP?", answer="Layers.", tags=["networking"])
    make_article(
        slug="big-o", question="What is Big O notation?", answer="Bounds.", tags=["Big O"]
    )
    assert ranked("C++") == ["cpp"]
    assert ranked("c#") == ["csharp"]
    assert ranked("C") == ["c"]
    assert ranked("Go") == ["go"]
    assert ranked("TCP/IP") == ["tcp"]
    assert ranked("big o") == ["big-o"]


def test_index_follows_save_update_and_delete():
    """Model saves, queryset updates and deletes change what is found at once."""
    article = create("What is quicksort?")
    assert ranked("quicksort") == ["x"]
    article.question = "What is mergesort?"
    article.save()
    assert ranked("quicksort") == []
    assert ranked("mergesort") == ["x"]
    # The index reads the answer's plain text, which save() derives from the answer.
    Article.objects.filter(pk=article.pk).update(answer_text="Choose a pivot.")
    assert ranked("pivot") == ["x"]
    article.delete()
    assert ranked("mergesort") == []


def test_index_follows_topic_edits():
    """Topics added or removed through taggit are searchable at once."""
    article = create("What is a stack?")
    article.tags.add("Recursion")
    assert ranked("recursion") == ["x"]
    article.tags.remove("Recursion")
    assert ranked("recursion") == []


def test_index_follows_bulk_import_inserts_and_later_saves():
    """Articles an import inserts are indexed once each, and an article saved after the
    import is indexed too."""
    import_article(question="What is a trie?", slug="what-is-a-trie")
    import_article(question="What is a trie used for?", slug="what-is-a-trie-used-for")
    create("What is a radix trie?", slug="what-is-a-radix-trie")
    assert sorted(ranked("trie")) == [
        "what-is-a-radix-trie",
        "what-is-a-trie",
        "what-is-a-trie-used-for",
    ]


def test_index_follows_bulk_import_updates():
    """A re-imported file replaces its searchable text (the bulk_update path)."""
    import_article(question="What is a trie?", keywords="prefix tree")
    assert ranked("trie") == ["what-is-a-test"]
    import_article(question="What is a heap?", keywords="priority queue")
    assert ranked("trie") == []
    assert ranked("prefix") == []
    assert ranked("priority queue") == ["what-is-a-test"]


def test_only_published_articles_are_found():
    """Drafts and articles dated in the future are not search results."""
    make_article(slug="draft", question="What is a draft heap?")
    make_article(
        slug="future", question="What is a future heap?", published_on=datetime.date(2999, 1, 1)
    )
    make_article(slug="live", question="What is a live heap?")
    Article.objects.filter(slug="draft").update(status=Article.Status.DRAFT)
    assert ranked("heap") == ["live"]


@pytest.mark.parametrize(
    "query", ['"', "(", "a AND", "NEAR(a", "*", "-", "OR", "c++ -", "'", "\\", "%", "a:b", "^x"]
)
def test_any_query_text_is_safe(query):
    """Query syntax characters never raise; they are searched for or ignored."""
    create("What is a b?")
    assert isinstance(ranked(query), list)


def test_snippets_highlight_matches_and_escape_the_answer():
    """The snippet marks the matched word and never carries the answer's markup."""
    make_article(answer="A **heap** is not <script>alert(1)</script> a tree.")
    (result,) = Article.objects.search("heap")[:1]
    assert "<mark>heap</mark>" in result.snippet
    assert "<script>" not in result.snippet
    assert "alert(1)" in result.snippet


def test_search_page_without_a_query_explains_itself(client):
    """/search/ with no query says how to search, and is not indexed."""
    html = client.get("/search/").content.decode()
    assert "Type a question or a few words" in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_page_with_no_results_says_so(client):
    """A query that matches nothing says so, honestly."""
    create("What is a heap?")
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No questions match “zeppelin”" in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_page_paginates_and_keeps_the_query(client):
    """Results come 20 a page; page links carry the query."""
    for number in range(21):
        create(f"What is widget {number}?", slug=f"widget-{number}")
    response = client.get("/search/", {"q": "widget"})
    html = response.content.decode()
    assert "21 results." in html
    assert len(response.context["object_list"]) == 20
    assert 'href="/search/?q=widget&amp;page=2"' in html
    assert len(client.get("/search/", {"q": "widget", "page": 2}).context["object_list"]) == 1


def import_corpus(corpus):
    files = [str(path) for path in corpus.glob("*/*.md")]
    call_command("import_quicktakes", *files, stdout=StringIO(), stderr=StringIO())
    Article.objects.update(published_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.slow
def test_relevance_over_the_real_corpus(corpus):
    """Over the 3,000 real articles, technical queries find the articles about them."""
    import_corpus(corpus)
    cs = "computer-science/"

    tcp = ranked("TCP/IP")
    assert tcp[0] == "can-you-explain-the-tcpip-protocol-suite-and-its-significance"

    cpp = ranked("C++")
    assert cpp[0] == "what-is-the-purpose-of-userdefined-functions-in-c"
    with_cpp = {
        path.stem for path in (corpus / cs).glob("*.md") if "C++" in path.read_text("utf-8")
    }
    assert set(cpp) <= with_cpp and len(cpp) >= 6

    assert ranked("Big O")[0] == "what-defines-an-efficient-algorithm-in-complexity-theory"
    assert ranked('"binary search"')
    assert ranked("photosynthesis chlorophyll")


@pytest.mark.slow
def test_search_forgives_over_the_real_corpus(corpus):
    """Over the 3,000 real articles, a slip, the start of a word and a singular for a
    plural find what the word finds, the slip saying its correction, and a subject
    keeps its own of them."""
    import_corpus(corpus)
    for typed, word in [
        ("photosynthsis", "photosynthesis"),
        ("mitochondrion", "mitochondria"),
        ("thermodinamics", "thermodynamics"),
        ("recursoin", "recursion"),
        ("democrasy", "democracy"),
        ("stages of photosynthsis", "stages of photosynthesis"),
    ]:
        results = Article.objects.search(typed)
        assert results.correction == word, typed
        assert ranked(typed) == ranked(word) != [], typed
    assert Article.objects.search("mitochondria").correction == ""
    assert ranked("mitochondria")[0] == (
        "what-is-the-primary-function-of-mitochondria-in-cellular-respiration"
    )
    for start, word in [("photosynth", "photosynthesis"), ("mitochond", "mitochondria")]:
        assert set(ranked(start)) >= set(ranked(word)) != set(), start
        assert ranked(start)[0] == ranked(word)[0], start
    assert ranked("stages of photosynth")[0] == (
        "what-are-the-two-main-stages-of-photosynthesis-and-where-do-they-occur"
    )
    biology = Article.objects.filter(subject__slug="biology").search("enzymes")
    in_biology = {article.slug for article in biology[:50]}
    everywhere = {article.slug for article in Article.objects.search("enzymes")[:1000]}
    assert in_biology and in_biology < everywhere
    assert {article.subject.slug for article in biology[:50]} == {"biology"}


def test_search_keeps_the_filters_of_the_queryset():
    """Searching a filtered queryset finds only its articles, still published only."""
    make_article(slug="cs-heap", question="What is a heap?")
    make_article(slug="math-heap", question="What is a heap of sets?", subject="Mathematics")
    make_article(slug="draft-heap", question="What is a draft heap?", subject="Mathematics")
    Article.objects.filter(slug="draft-heap").update(status=Article.Status.DRAFT)
    mathematics = Article.objects.filter(subject__slug="mathematics")
    assert [article.slug for article in mathematics.search("heap")] == ["math-heap"]


def test_search_index_machinery_is_in_place_after_migrate():
    """Migrations leave a GIN index on PostgreSQL, and on SQLite the triggers come back
    after any migrate that rebuilt the table without them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'learn_article'")
            assert any("gin (search_vector)" in row[0] for row in cursor.fetchall())
            return
        cursor.execute("DROP TRIGGER learn_article_fts_update")
        call_command("migrate", verbosity=0)
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert {row[0] for row in cursor.fetchall()} >= {
            "learn_article_fts_insert",
            "learn_article_fts_delete",
            "learn_article_fts_update",
        }
    article = create("What is a quicksort?")
    article.question = "What is a mergesort?"
    article.save()
    assert ranked("mergesort") == ["x"]


@pytest.fixture
def candidates(monkeypatch):
    """Set how many matches a search ranks, on both databases."""

    def set_to(number):
        monkeypatch.setattr(postgres, "CANDIDATES", number)
        monkeypatch.setattr(sqlite, "CANDIDATES", number)

    return set_to


@pytest.fixture
def deadline():
    """Any database statement over a generous 10 s fails the request (a stall, not a
    timing: on PostgreSQL a statement timeout, on SQLite a progress handler)."""
    seconds = 10
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {seconds * 1000}")
        yield
        return
    ends = time.monotonic() + seconds
    connection.connection.set_progress_handler(lambda: time.monotonic() > ends, 10_000)
    yield
    connection.connection.set_progress_handler(None, 0)


HOSTILE_QUERIES = [
    "q=%00",
    "q=heap%00sort",
    "q=%FF%FE%C3",
    "q=heap%ED%A0%80",
    "q=" + "x" * 4000,
    "q=" + quote("heap " * 800),
    "q=" + quote("a " * 1000),
    "q=%22",
    "q=" + quote('"heap sort'),
    "q=" + quote('heap "sort "tree'),
    "q=" + quote("NEAR(heap sort)"),
    "q=" + quote("NEAR(heap"),
    "q=*",
    "q=heap*",
    "q=%5E",
    "q=%5Eheap",
    "q=:",
    "q=" + quote("question:heap"),
    "q=" + quote("heap:*"),
    "q=" + quote("AND OR NOT"),
    "q=" + quote("heap AND OR NOT sort"),
    "q=-",
    "q=" + quote("- -heap"),
    "q=" + quote("!(heap | sort) & <->"),
    "q=" + quote("{question}: heap"),
    "q=heap&page=",
    "q=heap&page=x",
    "q=heap&page=%00",
    "q=heap&page=-1",
    "q=heap&page=0",
    "q=heap&page=1.5",
    "q=heap&page=1e9",
    "q=heap&page=" + "9" * 4000,
    "q=heap&page=last",
    "q=heap&q=sort",
    "page=2",
]


@pytest.mark.parametrize("query_string", HOSTILE_QUERIES)
def test_hostile_input_never_fails_or_stalls(client, deadline, query_string):
    """NUL bytes, invalid UTF-8, 4,000 characters, FTS5 and tsquery syntax and garbage
    pages get a search page, never a server error, and finish well within the deadline."""
    make_article(slug="heap", question="What is a heap sort?", answer="A tree of heaps.")
    response = client.get(f"/search/?{query_string}")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_long_query_is_cut_and_the_page_says_so(client):
    """Only the first words of a query past the bounds are searched, and the page says
    which."""
    make_article(slug="heap", question="What is a heap?")
    html = client.get("/search/", {"q": "heap " * 1000}).content.decode()
    searched = " ".join(["heap"] * MAX_TERMS)
    assert f"That search was too long: only “{searched}” was searched for." in html
    assert f'value="{searched}"' in html
    assert "1 result." in html
    html = client.get("/search/", {"q": "heap"}).content.decode()
    assert "too long" not in html


def test_a_common_word_ranks_a_bounded_set_and_estimates_the_total(candidates):
    """Past the candidates, only they are ranked, in the order of the full ranking, and
    the total is an estimate."""
    for number in range(5):
        make_article(slug=f"answer-{number}", question="What is storage?", answer="A heap.")
    make_article(slug="in-answer", question="What is caching?", answer="It keeps a heap.")
    make_article(slug="in-keywords", question="What is memory?", answer="Bytes.", tags=["heap"])
    make_article(slug="in-question", question="What is a heap?", answer="A tree.")
    everything = ranked("heap")
    assert everything[:2] == ["in-question", "in-keywords"]
    candidates(3)
    results = Article.objects.search("heap")
    best = [article.slug for article in results[:10]]
    assert len(best) == 3
    assert best == [slug for slug in everything if slug in best]
    assert results.estimated
    assert results.total >= 3
    assert not Article.objects.search("tree").estimated


def test_an_estimated_total_says_about_and_pages_stop_at_the_candidates(client, candidates):
    """The page says "About N results" and that only the best of the candidates are shown;
    a page past them is the last one, not an error."""
    candidates(25)
    for number in range(30):
        make_article(slug=f"widget-{number}", question=f"What is widget {number}?")
    html = client.get("/search/", {"q": "widget"}).content.decode()
    assert "About " in html
    assert "These are the best of the first 25: add words to narrow the search." in html
    response = client.get("/search/", {"q": "widget", "page": 50})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["object_list"]) == 5


def test_pages_past_the_end_or_not_numbers_clamp(client):
    """A page past the last is the last page; a page that is no number is the first."""
    for number in range(21):
        make_article(slug=f"widget-{number}", question=f"What is widget {number}?")
    for page, shown in [(3, 2), (10**30, 2), ("x", 1), ("", 1), (0, 2), (-1, 2)]:
        response = client.get("/search/", {"q": "widget", "page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number == shown
    html = client.get("/search/", {"q": "widget", "page": 3}).content.decode()
    assert 'href="/search/?q=widget"' in html


def test_search_page_queries(client, candidates, django_assert_num_queries):
    """The search page asks a fixed number of queries: one for the ranked ids, one for the
    page's articles and one for their snippets, plus one for the estimate when capped;
    where nothing matches, one for the questions a correction comes from, and when one
    does, its search; a subject filter adds none."""
    for number in range(30):
        make_article(slug=f"widget-{number}", question=f"What is widget {number}?")
    client.get("/search/")  # the header's subjects, cached from then on
    with django_assert_num_queries(0):
        client.get("/search/")
        client.get("/search/", {"q": "   "})
    with django_assert_num_queries(1):
        client.get("/search/", {"q": "zep"})
    with django_assert_num_queries(2):
        client.get("/search/", {"q": "zeppelin"})
    with django_assert_num_queries(2):
        client.get("/search/", {"q": "zeppelin airship dirigible blimps hindenburg"})
    with django_assert_num_queries(5):
        client.get("/search/", {"q": "widgetts"})
    with django_assert_num_queries(3) as queries:
        client.get("/search/", {"q": "widget"})
    # The page's articles: what a result shows, never the answer nor its vector.
    [rows] = [q["sql"] for q in queries.captured_queries if '"learn_subject"."name"' in q["sql"]]
    assert '"learn_article"."question"' in rows and '"learn_article"."answer' not in rows
    assert "search_vector" not in rows
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "widget", "subject": "computer-science"})
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "widget", "subject": "no-such-subject"})
    candidates(25)
    with django_assert_num_queries(3 if connection.vendor == "sqlite" else 4):
        client.get("/search/", {"q": "widget", "page": 2})


def test_snippets_come_from_the_plain_text_never_the_markdown():
    """A snippet shows the answer's words, never its list numbers or emphasis marks."""
    make_article(answer="1. **Light Absorption**: - Photosynthesis starts in *chloroplasts*.")
    [result] = Article.objects.search("chloroplasts")
    assert result.snippet == (
        "Light Absorption: - Photosynthesis starts in <mark>chloroplasts</mark>."
    )


def test_a_misspelt_search_shows_the_results_of_its_correction(client):
    """A search that finds nothing offers its correction as a link and shows its results."""
    make_article(slug="stages", question="What are the two main stages of photosynthesis?")
    html = client.get("/search/", {"q": "stages of photosynthsis"}).content.decode()
    assert "Results for “stages of photosynthesis”" in html
    assert (
        "No questions match “stages of photosynthsis”. Did you mean "
        '<a href="?q=stages%20of%20photosynthesis">stages of photosynthesis</a>?'
    ) in html
    assert "/questions/stages" in html
    assert "Did you mean" not in client.get("/search/", {"q": "photosynthesis"}).content.decode()
    html = client.get("/search/", {"q": "xylophonist"}).content.decode()
    assert "No questions match “xylophonist”." in html and "Did you mean" not in html


def test_plurals_prefixes_and_slips_find_the_article():
    """A singular for a plural, the start of the last word and a slip each find it."""
    make_article(slug="mito", question="What is the function of mitochondria in the cell?")
    make_article(slug="other", question="What is a ribosome?")
    for query in ["mitochondria", "mitochondrion", "mitochond", "function of mitocondria"]:
        assert ranked(query) == ["mito"], query


def test_results_filter_by_a_valid_subject(client):
    """?subject= keeps one subject's matches and is kept by the form and the page links;
    an unknown subject filters nothing and says so."""
    for number in range(21):
        make_article(slug=f"cs-heap-{number}", question=f"What is heap {number}?")
    make_article(slug="math-heap", question="What is a heap of sets?", subject="Mathematics")
    response = client.get("/search/", {"q": "heap", "subject": "mathematics"})
    assert [article.slug for article in response.context["object_list"]] == ["math-heap"]
    assert '<option value="mathematics" selected>Mathematics</option>' in (
        response.content.decode()
    )
    html = client.get("/search/", {"q": "heap", "subject": "computer-science"}).content.decode()
    assert "21 results." in html
    assert 'href="/search/?q=heap&amp;subject=computer-science&amp;page=2"' in html
    response = client.get("/search/", {"q": "heap", "subject": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no such subject" in html and "22 results." in html
    assert "<script>" not in html


def test_the_question_marks_its_matches_and_escapes_the_rest(client):
    """The question's matched words are in <mark>; its markup is text."""
    make_article(slug="tags", question="Why is <b>heap</b> memory slow?")
    html = client.get("/search/", {"q": "heap"}).content.decode()
    assert "Why is &lt;b&gt;<mark>heap</mark>&lt;/b&gt; memory slow?" in html


def test_the_results_page_has_one_search_box(client):
    """The page's own form replaces the header's box; other pages keep the header's."""
    make_article()
    assert client.get("/search/", {"q": "test"}).content.decode().count('type="search"') == 1
    assert client.get("/learn/").content.decode().count('type="search"') == 1


def test_matching_finds_every_match_drafts_included_unranked(candidates):
    """``matching`` is a filter through the same index and rules as the search page
    (C++ is a term, words are stemmed), over drafts too, and is not cut at the
    candidates a ranked search stops at."""
    candidates(2)
    for number in range(3):
        create("Why C++?", answer="Templates everywhere.", slug=f"cpp-{number}")
    draft = create("A draft on templating", slug="draft")
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    create("Why C?", answer="Pointers.", slug="c")
    found = Article.objects.matching("template")
    assert sorted(found.values_list("slug", flat=True)) == ["cpp-0", "cpp-1", "cpp-2", "draft"]
    assert Article.objects.matching("C++").count() == 3
    assert not Article.objects.matching("").exists()
    assert not Article.objects.matching('"').exists()


def test_a_common_words_candidates_are_its_matches_in_questions(candidates):
    """Where more questions hold a word than a search ranks, the results are articles
    asking about it, not ones that mention it in passing, however many those are."""
    candidates(3)
    for number in range(4):
        make_article(slug=f"asks-{number}", question=f"How does heat {number} flow?")
    for number in range(6):
        make_article(
            slug=f"mentions-{number}",
            question=f"What is question {number}?",
            answer="Heat, heat and heat again: heat everywhere.",
        )
    results = Article.objects.search("heat")
    assert len(results) == 3
    assert {article.slug for article in results[:3]} <= {f"asks-{n}" for n in range(4)}
    # Fewer questions than that: every match may be a candidate, the answers' too.
    assert {a.slug for a in Article.objects.search("everywhere")[:3]} <= {
        f"mentions-{n}" for n in range(6)
    }


def test_the_questions_index_holds_the_expression_the_search_writes():
    """The candidates of a common word are read through learn_article_question_search,
    whose expression (migration 0020, written out) is the one the search writes now:
    new term rules need a migration that rebuilds it. SQLite ranks through FTS5."""
    from importlib import import_module

    from django.contrib.postgres.indexes import GinIndex

    make_article(question="How does heat flow?")
    results = Article.objects.all().search("heat")
    migration = import_module("learn.migrations.0020_question_search_index")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            index = GinIndex(postgres.question_vector(postgres.terms.TERMS), name=migration.INDEX)
            with connection.schema_editor(collect_sql=True) as editor:
                assert str(index.create_sql(Article, editor)) == migration.CREATE
            # Over every article, so that the full-text indexes are the only ones a
            # filter can use (a published filter let the planner of a small table pick
            # the status index), and a GIN index is read by a bitmap scan: seqscan and
            # plain index scans off leave those alone.
            articles = Article.objects.all()
            candidates = postgres._candidates(
                articles,
                articles.filter(search_vector=postgres._tsquery("heat")).order_by(),
                postgres._tsquery("heat"),
            )
            for method in ("seqscan", "indexscan"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {candidates.sql}", candidates.params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert migration.INDEX in plan, plan
        else:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM learn_article_fts"
                " WHERE learn_article_fts MATCH 'heat'"
            )
            assert "VIRTUAL TABLE INDEX" in " ".join(str(row) for row in cursor.fetchall())
    assert [article.question for article in results[:1]] == ["How does heat flow?"]


def test_candidates_are_ranked_on_the_rows_their_match_was_checked_on(candidates):
    """The best of the candidates first, in one statement that reads each candidate's row
    once: a phrase's match is checked on the row, and ranking it is done there, not by a
    second pass joined back to the articles."""
    candidates(3)
    for n in range(5):
        create(f"Markets {n}?", "Supply and demand " * (n + 1) + "set prices.", slug=f"m-{n}")
    create("Markets x?", "Demand for supply is another thing.", slug="other")
    with CaptureQueriesContext(connection) as queries:
        found = [a.slug for a in Article.objects.search('"supply and demand"')[:3]]
    # The first three matches the index yields, best ranked first: each holds the phrase.
    assert len(found) == 3 and set(found) <= {f"m-{n}" for n in range(5)}
    ranks = {f"m-{n}": n for n in range(5)}
    assert found == sorted(found, key=ranks.get, reverse=True)
    if connection.vendor == "postgresql":
        statement = next(q["sql"] for q in queries if "in_questions" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {statement}")
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "Join" not in plan and "Nested Loop" not in plan, plan
