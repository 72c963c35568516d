"""Migrations that change what stored data means keep it meaning the same."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from learn.models import Article, Subject, publication_moment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publication_times_keep_dates_meaning_the_start_of_their_day():
    """Before 0011 a publication date meant its start in the site's time zone; after it
    the article is published at that moment, and its subject's counts are due then."""
    before = [("learn", "0008_subject_counts")]
    call_command("migrate", "learn", "0008_subject_counts", verbosity=0)
    old = MigrationLoader(connection).project_state(before).apps
    subject = old.get_model("learn", "Subject").objects.create(name="S", slug="s")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    old.get_model("learn", "Article").objects.create(
        subject=subject,
        slug="a",
        question="Q?",
        title="Q?",
        answer="A.",
        answer_html="<p>A.</p>",
        status="published",
        published_on=tomorrow,
    )
    call_command("migrate", verbosity=0)
    article = Article.objects.get()
    assert article.published_time == datetime.time()
    assert article.published_at == publication_moment(tomorrow)
    assert not article.is_live and article.is_scheduled
    assert Subject.objects.get().counts_due_at == publication_moment(tomorrow)
