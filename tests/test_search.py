"""Full-text search (``Article.objects.search``) on whichever database the suite runs on:
ranking, technical terms, an index kept current on every write path, snippets, the search
page and the corpus."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from learn.importer import import_sources
from learn.models import Article, Subject
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
    Article.objects.filter(pk=article.pk).update(answer="Choose a pivot.")
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
    assert 'href="?q=widget&amp;page=2"' in html
    assert len(client.get("/search/", {"q": "widget", "page": 2}).context["object_list"]) == 1


@pytest.mark.slow
def test_relevance_over_the_real_corpus(corpus):
    """Over the 3,000 real articles, technical queries find the articles about them."""
    files = [str(path) for path in corpus.glob("*/*.md")]
    call_command("import_quicktakes", *files, stdout=StringIO(), stderr=StringIO())
    Article.objects.update(published_on=timezone.localdate() - datetime.timedelta(days=1))
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
