"""Model invariants: rendered HTML never stale, constraints enforced by the database."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone

from learn import editorial
from learn.models import Article, RelatedLink, Subject, publication_moment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return Subject.objects.create(name="Physics", slug="physics")


def make(subject, **fields):
    defaults = {
        "slug": "what-is-light",
        "question": "What is light?",
        "title": "What is light?",
        "answer": "Light is **electromagnetic** radiation.",
    }
    return Article.objects.create(subject=subject, **{**defaults, **fields})


def test_saving_renders_the_answer(subject):
    """answer_html is rendered from answer on every save."""
    article = make(subject)
    assert "<strong>electromagnetic</strong>" in article.answer_html
    article.answer = "Now *different*."
    article.save(update_fields=["answer"])
    article.refresh_from_db()
    assert "<em>different</em>" in article.answer_html


def test_url_is_unique(subject):
    """Two articles cannot share a subject and slug."""
    make(subject)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(subject)


def test_empty_slug_is_refused(subject):
    """The database refuses an article without a slug."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make(subject, slug="")


@pytest.mark.parametrize("model", [Article, Subject])
def test_any_model_form_applies_the_importers_slug_rule(model):
    """The slug rule lives on the fields: a plain ModelForm refuses what the importer would."""
    form_class = modelform_factory(model, fields=["slug"])

    form = form_class({"slug": "Upper-Case"})
    assert not form.is_valid()
    assert form.errors["slug"] == [
        "This has an invalid slug 'Upper-Case': use lowercase letters, digits and hyphens."
    ]
    assert form_class({"slug": "lower-case-2"}).is_valid()


def test_related_link_position_is_one_to_five(subject):
    """A related link's position must be 1-5 and unique per article."""
    article = make(subject)
    RelatedLink.objects.create(article=article, position=5, target_title="t", target_url="/x")
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, position=6, target_title="t", target_url="/x")
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, position=5, target_title="t", target_url="/y")


def test_absolute_url_is_the_source_url(subject):
    """get_absolute_url gives /learn/<subject>/questions/<slug> without a trailing slash."""
    assert make(subject).get_absolute_url() == "/learn/physics/questions/what-is-light"


def test_published_excludes_drafts(subject):
    """Article.objects.published() leaves drafts out."""
    make(subject, slug="a")
    make(subject, slug="b", status=Article.Status.DRAFT)
    assert list(Article.objects.published().values_list("slug", flat=True)) == ["a"]


def test_renaming_a_topic_renames_it_in_its_articles_keywords(subject):
    """Keywords, which search reads, follow a topic renamed in taggit's admin."""
    from taggit.models import Tag

    article = make(subject)
    article.tags.set(["optics", "waves"])
    assert Article.objects.get().keywords == "optics, waves"
    tag = Tag.objects.get(name="optics")
    tag.name = "Light"
    tag.save()
    assert Article.objects.get().keywords == "Light, waves"


def live_counts():
    return dict(Subject.objects.values_list("slug", "live_articles"))


def test_subject_counts_follow_every_writer():
    """The stored counts follow a save, the editorial actions, a move and a delete."""
    article = make_article(slug="a")
    biology = make_article(slug="b", subject="Biology").subject
    assert live_counts() == {"computer-science": 1, "biology": 1}
    editorial.articles_unpublish(Article.objects.filter(pk=article.pk))
    assert live_counts()["computer-science"] == 0
    editorial.articles_publish(Article.objects.filter(pk=article.pk))
    assert live_counts()["computer-science"] == 1
    editorial.articles_move(Article.objects.filter(pk=article.pk), subject=biology)
    assert live_counts() == {"computer-science": 0, "biology": 2}
    moved = Article.objects.get(pk=article.pk)
    moved.subject = Subject.objects.get(slug="computer-science")
    moved.save()
    assert live_counts() == {"computer-science": 1, "biology": 1}
    moved.delete()
    assert live_counts() == {"computer-science": 0, "biology": 1}


def test_scheduled_article_is_counted_from_its_moment(clock):
    """An article scheduled for 14:00 tomorrow is not counted before that moment, and
    is from it, on the stored counts, without anything else running."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_article(published_on=tomorrow, published_time=datetime.time(14, 0))
    moment = publication_moment(tomorrow, datetime.time(14, 0))
    assert list(Subject.objects.with_live_articles()) == []
    assert Subject.objects.next_publication() == moment
    clock(moment - datetime.timedelta(seconds=1))
    assert list(Subject.objects.with_live_articles()) == []
    clock(moment)
    assert [s.live_articles for s in Subject.objects.with_live_articles()] == [1]
    assert Subject.objects.get().counts_due_at is None
    assert Subject.objects.next_publication() is None


def test_an_article_stored_once_is_not_updated(subject):
    """Created (imported) long after its date and never changed: no "Updated" date."""
    article = make(subject, published_on=datetime.date(2024, 12, 11))

    assert article.updated_at > timezone.now() - datetime.timedelta(minutes=1)
    assert article.updated_on is None


def test_an_article_changed_after_its_date_is_updated_on_that_day(subject):
    """Saved again after it was created, on a later day than its publication date."""
    article = make(subject, published_on=datetime.date(2024, 12, 11))
    changed = timezone.make_aware(datetime.datetime(2025, 1, 20, 23, 30))
    Article.objects.filter(pk=article.pk).update(
        created_at=changed - datetime.timedelta(days=30), updated_at=changed
    )
    article.refresh_from_db()

    assert article.updated_on == timezone.localdate(changed)


def test_a_change_before_or_on_the_publication_day_is_no_update(subject):
    """An article edited before it came out, or on its day, was not updated after posting."""
    article = make(subject, published_on=datetime.date(2025, 3, 1))
    for changed_on in (datetime.datetime(2025, 2, 10, 9), datetime.datetime(2025, 3, 1, 18)):
        changed = timezone.make_aware(changed_on)
        Article.objects.filter(pk=article.pk).update(
            created_at=changed - datetime.timedelta(days=60), updated_at=changed
        )
        article.refresh_from_db()
        assert article.updated_on is None


def test_saving_stores_the_table_of_contents_and_reading_time(subject):
    """toc and word_count follow the answer on every save; the reading time follows them."""
    article = make(subject, answer="### A\n\n### B\n\n### C\n\n" + "word " * 401)
    assert [entry["title"] for entry in article.toc] == ["A", "B", "C"]
    assert article.word_count == 404
    assert article.reading_minutes == 3

    article.answer = "Short."
    article.save(update_fields=["answer"])
    article.refresh_from_db()
    assert (article.toc, article.word_count, article.reading_minutes) == ([], 1, 1)
