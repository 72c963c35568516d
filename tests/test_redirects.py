"""Redirects: found by the normalised path, never chaining, never looping."""

import pytest
from django.core.exceptions import ValidationError

from learn.importer import import_sources
from learn.models import Article, Redirect, Subject
from learn.redirects import (
    find_redirect,
    find_redirects,
    redirect_moved_article,
    redirect_renamed_subject,
)
from learn.sources import Source
from tests.conftest import article_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return Subject.objects.create(name="Computer Science", slug="computer-science")


def add(subject, slug="what-is-a-test"):
    return Article.objects.create(
        subject=subject, slug=slug, question="What is a test?", title="A test", answer="Checks."
    )


def reslug(article, slug):
    old_path = article.get_absolute_url()
    article.slug = slug
    article.save()
    redirect_moved_article(article, old_path)


def test_chains_collapse_every_old_url_to_the_current_one(subject):
    """A→B then B→C leaves A and B both redirecting straight to C."""
    article = add(subject, "a")
    reslug(article, "b")
    reslug(article, "c")
    assert find_redirect("/learn/computer-science/questions/a") == (
        "/learn/computer-science/questions/c"
    )
    assert find_redirect("/learn/computer-science/questions/b") == (
        "/learn/computer-science/questions/c"
    )


def test_renaming_back_deletes_the_redirect_so_nothing_loops(subject):
    """Going back to an old URL removes its redirect: A→B→A leaves only B→A."""
    article = add(subject, "a")
    reslug(article, "b")
    reslug(article, "a")
    assert list(Redirect.objects.values_list("old_path", flat=True)) == [
        "/learn/computer-science/questions/b"
    ]
    assert find_redirect("/learn/computer-science/questions/a") is None


def test_unchanged_url_makes_no_redirect(subject):
    """Saving an article without moving it creates no redirect."""
    article = add(subject)
    redirect_moved_article(article, article.get_absolute_url())
    assert not Redirect.objects.exists()


def test_subject_reslug_redirects_its_list_and_articles_with_one_row(subject):
    """A subject's old slug leads to its list and to each of its articles."""
    add(subject)
    subject.slug = "computing"
    subject.save()
    redirect_renamed_subject(subject, "computer-science")
    assert Redirect.objects.count() == 1
    assert find_redirect("/learn/computer-science/questions/") == "/learn/computing/questions/"
    assert find_redirect("/learn/computer-science/questions/what-is-a-test") == (
        "/learn/computing/questions/what-is-a-test"
    )
    assert find_redirect("/learn/computer-science/questions/nothing") is None


def test_find_redirects_answers_many_paths_by_both_rules_in_two_queries(
    subject, django_assert_num_queries
):
    """The broken-links report's look-up is the 404's: exact old paths, and articles under
    a subject's old slug, each path as it was asked for."""
    moved = add(subject, slug="moved")
    reslug(moved, "moved-again")
    add(subject)
    subject.slug = "computing"
    subject.save()
    redirect_renamed_subject(subject, "computer-science")
    asked = [
        "/learn/computer-science/questions/moved",
        "/learn/computer-science/questions/what-is-a-test/",
        "/learn/computer-science/questions/",
        "/learn/computer-science/questions/nothing",
        "/learn/x/questions/y",
    ]
    with django_assert_num_queries(2):
        found = find_redirects(asked)
    assert found == {
        asked[0]: "/learn/computing/questions/moved-again",
        asked[1]: "/learn/computing/questions/what-is-a-test",
        asked[2]: "/learn/computing/questions/",
    }
    assert [find_redirect(path) for path in asked] == [found.get(path) for path in asked]


def test_unknown_paths_have_no_redirect():
    """A path nobody used finds nothing."""
    assert find_redirect("/learn/x/questions/y") is None
    assert find_redirect("/learn/") is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("/learn/old/questions/old-one/", "/learn/old/questions/old-one"),
        (" /learn/old/questions/old-one?ref=x ", "/learn/old/questions/old-one"),
        ("https://example.org/learn/old/questions/old-one", "/learn/old/questions/old-one"),
        ("/learn/old/questions", "/learn/old/questions/"),
        ("/learn/old/", "/learn/old/questions/"),
        ("/learn/old/feed/", "/learn/old/feed/"),
    ],
)
def test_clean_stores_the_path_as_the_site_serves_it(subject, typed, stored):
    """The old path is kept in the one form requests are looked up by."""
    redirect = Redirect(old_path=typed, article=add(subject))
    redirect.full_clean()
    assert redirect.old_path == stored


def test_find_redirect_looks_up_the_normalised_path(subject):
    """A request for another spelling of a stored old path finds it."""
    article = add(subject)
    Redirect.objects.create(old_path="/learn/old/questions/old-one", article=article)
    assert find_redirect("/learn/old/questions/old-one/") == article.get_absolute_url()


@pytest.mark.parametrize("spelling", ["{}", "{}/"])
def test_clean_refuses_a_redirect_from_its_articles_own_url(subject, spelling):
    """An article's current URL cannot redirect to that article: readers would loop."""
    article = add(subject)
    redirect = Redirect(old_path=spelling.format(article.get_absolute_url()), article=article)
    with pytest.raises(ValidationError) as caught:
        redirect.full_clean()
    assert caught.value.error_dict["old_path"][0].code == "redirect_to_itself"


def test_clean_refuses_a_redirect_from_its_subjects_own_list(subject):
    """A subject's list URL cannot redirect to that subject."""
    redirect = Redirect(old_path="/learn/computer-science/questions", subject=subject)
    with pytest.raises(ValidationError) as caught:
        redirect.full_clean()
    assert caught.value.error_dict["old_path"][0].code == "redirect_to_itself"


def test_clean_accepts_a_redirect_from_another_url(subject):
    """A redirect from a subject's list to one of its articles does not loop."""
    Redirect(old_path="/learn/computer-science/questions/", article=add(subject)).full_clean()


def test_only_a_subjects_old_list_url_files_imports_under_it(subject):
    """A subject redirect from one old article URL does not claim that URL's subject."""
    Redirect.objects.create(old_path="/learn/biology/questions/gone", subject=subject)
    import_sources([Source("a.md", article_text(subject="Biology").encode())])
    assert Article.objects.get().subject.slug == "biology"
