"""Data migrations: what they compute for rows stored before them, and migrations that
change what stored data means keep it meaning the same."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from learn.models import Article, Subject, Topic, TopicEntry, publication_moment
from tests.factories import make_article
from tests.folders import migration


def old_article(migration_name, published_on):
    """Migrate learn back to ``migration_name`` and store a published article there
    (through that state's models); returns the state's apps and the article."""
    before = [("learn", migration_name)]
    call_command("migrate", "learn", migration_name, verbosity=0)
    old = MigrationLoader(connection).project_state(before).apps
    subject = old.get_model("learn", "Subject").objects.create(name="S", slug="s")
    article = old.get_model("learn", "Article").objects.create(
        subject=subject,
        slug="a",
        question="Q?",
        title="Q?",
        answer="A.",
        answer_html="<p>A.</p>",
        status="published",
        published_on=published_on,
    )
    return old, article


@pytest.mark.django_db
def test_rendered_toc_and_word_count_fills_rows_stored_before_it():
    """Rows with the new fields' defaults and HTML without heading ids get all of them."""
    make_article(slug="a", answer="### One\n\nSome words here.\n\n### Two\n\n### Three")
    make_article(slug="b", answer="No headings.")
    Article.objects.update(toc=[], word_count=0)
    Article.objects.filter(slug="a").update(answer_html="<h2>One</h2>")

    migration("rendered_toc_and_word_count").render_answers_again(apps, None)

    a, b = Article.objects.get(slug="a"), Article.objects.get(slug="b")
    assert a.answer_html.startswith('<h2 id="answer-one">One</h2>')
    assert [entry["id"] for entry in a.toc] == ["answer-one", "answer-two", "answer-three"]
    assert (a.word_count, b.word_count, b.toc) == (6, 2, [])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publication_times_keep_dates_meaning_the_start_of_their_day():
    """Before 0011 a publication date meant its start in the site's time zone; after it
    the article is published at that moment, and its subject's counts are due then."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    old_article("0008_subject_counts", tomorrow)
    call_command("migrate", verbosity=0)
    article = Article.objects.get()
    assert article.published_time == datetime.time()
    assert article.published_at == publication_moment(tomorrow)
    assert not article.is_live and article.is_scheduled
    assert Subject.objects.get().counts_due_at == publication_moment(tomorrow)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_topics_stored_from_articles_tagged_before_them_have_their_entries():
    """Articles tagged before topics existed (0014) are in their topics after the last
    migration: counted by the model's recount, listed by entries (0018)."""
    old, article = old_article("0014_rendered_toc_and_word_count", datetime.date(2024, 1, 1))
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="learn", model="article"
    )
    for name, slug in [("Big-O", "big-o"), ("big o", "big-o-1")]:
        old.get_model("taggit", "TaggedItem").objects.create(
            tag=old.get_model("taggit", "Tag").objects.create(name=name, slug=slug),
            content_type=content_type,
            object_id=article.pk,
        )
    call_command("migrate", verbosity=0)
    topic = Topic.objects.get()
    assert (topic.key, topic.slug, topic.live_articles) == ("big o", "big-o", 1)
    entries = TopicEntry.objects.values_list("topic__key", "article__slug", "published_on")
    assert list(entries) == [("big o", "a", datetime.date(2024, 1, 1))]
