"""Editorial services: publishing, moves and merges that redirect, recorded imports."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import QuerySet

from learn import editorial
from learn.caching import EVERYTHING, article_key, key_versions
from learn.models import Article, Redirect, Subject
from learn.redirects import find_redirect, redirect_renamed_subject
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_publish_and_unpublish_change_status_only():
    """Publishing keeps the publication date, so a future date stays scheduled."""
    article = make_article(published_on=datetime.date(2999, 1, 1))
    editorial.articles_unpublish(Article.objects.all())
    assert Article.objects.get().status == "draft"
    editorial.articles_publish(Article.objects.all())
    article.refresh_from_db()
    assert article.status == "published" and article.published_on.year == 2999
    assert not Article.objects.published().exists()


def test_move_skips_slug_clashes_and_redirects_the_rest():
    """Moving reports slugs taken in the target and redirects each moved article."""
    make_article(slug="a")
    make_article(slug="b")
    biology = make_article(slug="b", subject="Biology").subject
    result = editorial.articles_move(
        Article.objects.filter(subject__slug="computer-science"), subject=biology
    )
    assert (result.moved, result.clashes) == (1, ["b"])
    assert find_redirect("/learn/computer-science/questions/a") == ("/learn/biology/questions/a")


def test_move_of_two_articles_with_one_slug_moves_the_first_only():
    """Two selected articles that would share a URL in the target are not both moved."""
    make_article(slug="same")
    make_article(slug="same", subject="Physics")
    biology = Subject.objects.create(name="Biology", slug="biology")
    result = editorial.articles_move(Article.objects.all(), subject=biology)
    assert (result.moved, result.clashes) == (1, ["same"])
    assert biology.articles.count() == 1


def test_move_back_removes_the_redirect_it_would_loop_on():
    """Moving an article back to its old subject deletes the redirect from there."""
    article = make_article(slug="a")
    biology = Subject.objects.create(name="Biology", slug="biology")
    editorial.articles_move(Article.objects.all(), subject=biology)
    editorial.articles_move(Article.objects.all(), subject=article.subject)
    assert list(Redirect.objects.values_list("old_path", flat=True)) == [
        "/learn/biology/questions/a"
    ]


def test_merge_moves_articles_and_old_redirects_then_deletes_source():
    """Merging keeps the source's own old URLs working through the target."""
    article = make_article(slug="a", subject="Comp Sci")
    source = article.subject
    source.slug = "comp-sci-2"
    source.save()
    redirect_renamed_subject(source, "comp-sci")
    target = make_article(slug="b").subject
    assert editorial.subjects_merge(source=source, target=target) == []
    assert not Subject.objects.filter(pk=source.pk).exists()
    for old in ("/learn/comp-sci/questions/a", "/learn/comp-sci-2/questions/a"):
        assert find_redirect(old) == "/learn/computer-science/questions/a"


def test_merge_with_clashes_changes_nothing():
    """Slugs both subjects use are returned and no article moves."""
    source = make_article(slug="same", subject="Comp Sci").subject
    target = make_article(slug="same").subject
    assert editorial.subjects_merge(source=source, target=target) == ["same"]
    assert source.articles.count() == 1


def test_merge_into_itself_is_refused():
    """A subject cannot be merged into itself."""
    subject = make_article().subject
    with pytest.raises(ValueError):
        editorial.subjects_merge(source=subject, target=subject)


def history(article):
    return list(
        LogEntry.objects.filter(object_id=str(article.pk))
        .order_by("pk")
        .values_list("user__username", "change_message")
    )


def test_actions_by_a_user_leave_history_by_any_path(django_user_model):
    """Publishing, unpublishing and moving record who did it, without the admin."""
    ana = django_user_model.objects.create_user("ana")
    article = make_article(slug="a")
    biology = Subject.objects.create(name="Biology", slug="biology")
    editorial.articles_unpublish(Article.objects.all(), user=ana)
    editorial.articles_publish(Article.objects.all(), user=ana)
    editorial.articles_move(Article.objects.all(), subject=biology, user=ana)
    assert history(article) == [
        ("ana", "Unpublished."),
        ("ana", "Published."),
        ("ana", "Moved to Biology."),
    ]


def test_a_merge_by_a_user_leaves_history_on_each_moved_article(django_user_model):
    """Each article of a merged subject says where it went."""
    ana = django_user_model.objects.create_user("ana")
    article = make_article(slug="a", subject="Comp Sci")
    target = make_article(slug="b").subject
    editorial.subjects_merge(source=article.subject, target=target, user=ana)
    assert history(article) == [("ana", "Moved to Computer Science: comp-sci was merged into it.")]


def test_a_change_without_a_user_is_made_but_not_logged():
    """A script's change has no one to name in the history."""
    make_article()
    editorial.articles_unpublish(Article.objects.all())
    assert Article.objects.get().status == "draft"
    assert not LogEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("action", [editorial.articles_publish, editorial.articles_unpublish])
def test_cached_pages_are_dropped_only_after_the_status_changes(action, monkeypatch):
    """No request can cache the old page under the new version: the version moves when
    the change commits, never before the update runs."""
    keys = [EVERYTHING, article_key(make_article().pk)]
    before = key_versions(keys)
    seen = []
    update = QuerySet.update

    def watching_update(self, **kwargs):
        seen.append(key_versions(keys))
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", watching_update)
    action(Article.objects.all())
    # The status update, then the subjects' counts: all under the old version.
    assert seen == [before, before]
    assert key_versions(keys) != before
