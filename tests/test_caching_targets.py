"""A change drops the pages it touches, and only those."""

import pytest
from django.test import RequestFactory
from taggit.models import Tag

from learn import editorial
from learn.caching import cached_page, page_cache_key
from learn.importer import import_sources
from learn.models import Article
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article, make_subject

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

A = "/learn/computer-science/questions/a"
B = "/learn/computer-science/questions/b"


def is_cached(path):
    return cached_page(page_cache_key(RequestFactory().get(path))) is not None


def test_an_edit_leaves_unrelated_pages_cached(client, django_assert_num_queries):
    """Editing one article re-renders its page; another article's stays cached."""
    a = make_article(slug="a", answer="Old answer.")
    make_article(slug="b", subject="Biology", question="Unrelated?")
    b = "/learn/biology/questions/b"
    client.get(A), client.get(b)
    a.answer = "New answer."
    a.save()
    assert "New answer." in client.get(A).content.decode()
    with django_assert_num_queries(0):
        assert client.get(b).status_code == 200


def test_pages_showing_an_article_show_its_edit(client):
    """An article's new question reaches the pages that show it: a related link, its
    subject's list, its topics and home."""
    a = make_article(slug="a", question="Old question?", tags=["heaps"])
    make_article(slug="b", related=[a])
    pages = [B, "/learn/computer-science/questions/", "/topics/heaps/", "/"]
    for page in pages:
        assert "Old question?" in client.get(page).content.decode()
    a.question = "New question?"
    a.save()
    for page in pages:
        assert "New question?" in client.get(page).content.decode(), page


def test_an_article_moved_leaves_its_old_subjects_list(client):
    """Moved by the editors' action, an article leaves every page of its old list."""
    make_article(slug="a", question="Moving?")
    make_article(slug="b", subject="Biology")
    client.get("/learn/computer-science/questions/")
    editorial.articles_move(Article.objects.filter(slug="a"), subject=make_subject("Biology"))
    assert "Moving?" not in client.get("/learn/computer-science/questions/").content.decode()
    assert "Moving?" in client.get("/learn/biology/questions/").content.decode()


def test_a_topic_removed_from_an_article_leaves_the_topic_page(client):
    """Tags edited as the admin edits them drop the topic pages the article left."""
    a = make_article(slug="a", question="Tagged?", tags=["heaps", "trees"])
    make_article(slug="b", tags=["heaps"])
    client.get("/topics/heaps/")
    a.tags.set(["trees"])
    assert "Tagged?" not in client.get("/topics/heaps/").content.decode()


def test_an_import_reaches_the_articles_that_link_to_a_new_one(client):
    """An article whose related link waited for its target links to it once imported."""
    make_article(slug="b", related=["/learn/computer-science/questions/a"])
    assert 'href="/learn/computer-science/questions/a"' not in client.get(B).content.decode()
    import_sources([Source("a.md", article_text(slug="a").encode())])
    assert 'href="/learn/computer-science/questions/a"' in client.get(B).content.decode()


def test_a_subject_that_appears_in_the_navigation_drops_every_page(client):
    """The header's subjects are on every page: publishing the first article of a
    subject reaches a page that does not show the article."""
    make_article(slug="a")
    make_article(slug="b", subject="Biology", status=Article.Status.DRAFT)
    assert 'href="/learn/biology/questions/"' not in client.get(A).content.decode()
    editorial.articles_publish(Article.objects.filter(slug="b"))
    assert 'href="/learn/biology/questions/"' in client.get(A).content.decode()


def test_a_renamed_topic_drops_every_page(client):
    """A topic's name shows on its articles' pages: renaming it reaches them."""
    make_article(slug="a", tags=["heaps"])
    client.get(A)
    tag = Tag.objects.get()
    tag.name = "Heaps and stacks"
    tag.save()
    assert "Heaps and stacks" in client.get(A).content.decode()


@pytest.mark.slow
def test_editing_one_article_keeps_99_percent_of_pages_cached(client):
    """Over 500 articles in 10 subjects and 130 topics, as sparse as the real corpus's (most
    keywords are an article's own), every page cached (no cull), one article edited: it
    and the pages showing it are dropped, at least 99% stay."""
    for n in range(520):
        make_article(
            slug=f"q{n}",
            question=f"Question {n}?",
            subject=f"Subject {n % 10}",
            tags=[f"keyword {n}", f"topic {n % 130}"],
        )
    pages = [article.get_absolute_url() for article in Article.objects.select_related("subject")]
    pages += [f"/learn/subject-{s}/questions/?page={p}" for s in range(10) for p in (1, 2, 3)]
    pages += [f"/topics/topic-{t}/" for t in range(130)] + ["/", "/learn/"]
    pages += [f"/topics/keyword-{n}/" for n in range(520)]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert all(is_cached(page) for page in pages)

    article = Article.objects.get(slug="q5")
    article.question = "Edited?"
    article.save()

    dropped = [page for page in pages if not is_cached(page)]
    assert article.get_absolute_url() in dropped
    assert "/learn/subject-5/questions/?page=1" in dropped and "/" in dropped
    assert len(dropped) <= len(pages) // 100
    assert "Edited?" in client.get("/topics/topic-5/").content.decode()


def test_an_article_published_between_two_drops_their_pages_only(client):
    """Publishing an article dated between two others drops those two pages (their
    previous and next links change), the topics index (its counts) and the lists; an
    article of another day elsewhere in the subject stays cached."""
    import datetime

    day = datetime.date(2024, 12, 10)
    make_article(slug="a", question="A?", published_on=day)
    make_article(slug="b", question="B?", published_on=day + datetime.timedelta(days=2))
    make_article(slug="c", question="C?", published_on=day + datetime.timedelta(days=4))
    middle = make_article(
        slug="m",
        question="Middle?",
        tags=["heaps"],
        status=Article.Status.DRAFT,
        published_on=day + datetime.timedelta(days=1),
    )
    c = "/learn/computer-science/questions/c"
    pages = [A, B, c, "/topics/", "/topics/a-z/h/"]
    for page in pages:
        client.get(page)
    assert all(is_cached(page) for page in pages)
    editorial.articles_publish(Article.objects.filter(pk=middle.pk))
    assert [page for page in pages if not is_cached(page)] == [A, B, "/topics/", "/topics/a-z/h/"]
    assert 'rel="next">' in client.get(B).content.decode()
    assert "Middle?" in client.get(B).content.decode()
    assert "Middle?" in client.get(A).content.decode()
    assert "heaps" in client.get("/topics/").content.decode()
