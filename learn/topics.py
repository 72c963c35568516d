"""Topics: an article's ``page_keywords`` as taggit tags, read as reader-facing pages.

Tags are case-insensitive already; a topic also joins the spellings that differ only in
hyphens, underscores or spaces ("Big-O", "big O", "big_o"): ``Topic`` is one row per such
key, known by the smallest slug among its tags, with its article counts stored. A topic
with fewer than THIN_TOPIC published articles is thin: its page carries noindex and it
stays out of the sitemap.
"""

import string

from django.db.models import Subquery
from taggit.models import Tag

from learn.models import OTHER_INITIAL, Topic, TopicEntry, moment_come_q, topic_name_key

THIN_TOPIC = 2
# The topics index's A to Z, each letter with its URL segment (learn.paths.TOPIC_LETTER).
LETTERS = [(letter, letter.lower()) for letter in string.ascii_uppercase] + [
    (OTHER_INITIAL, "other")
]
# The largest topics on the topics index and on the home page.
LARGEST_TOPICS = 30
POPULAR_TOPICS = 12


def find_topic(slug: str) -> Topic | None:
    """The topic that a tag's ``slug`` belongs to, or None: one query."""
    key = Tag.objects.filter(slug=slug).annotate(key=topic_name_key("name")).values("key")
    return Topic.objects.filter(key=Subquery(key[:1])).first()


def topic_tags(topic: Topic) -> list[Tag]:
    """The tags of ``topic``, smallest slug first."""
    return list(
        Tag.objects.annotate(key=topic_name_key("name")).filter(key=topic.key).order_by("slug")
    )


def topic_articles(topic: Topic):
    """The entries of the articles readers see under ``topic``, newest first (as a
    subject's list): its pages' article ids, read from the entries' index."""
    return TopicEntry.objects.filter(moment_come_q(), topic=topic).order_by(
        "-published_on", "-article_id"
    )


def largest_topics(limit: int):
    """The ``limit`` topics with the most published articles, most first."""
    return Topic.objects.with_live_articles().order_by("-live_articles", "key")[:limit]


def letter_segment(initial: str) -> str | None:
    return dict(LETTERS).get(initial)


def initial_of_segment(segment: str) -> str | None:
    """The letter a topics-index URL segment names (``a`` → ``A``), or None."""
    return {value: letter for letter, value in LETTERS}.get(segment)


def topics_starting_with(initial: str):
    """The topics filed under ``initial`` in the A to Z, by name."""
    return Topic.objects.with_live_articles().filter(initial=initial).order_by("key")


def indexable_topics():
    """Slugs of every topic with at least THIN_TOPIC indexable articles, by slug: the
    stored counts, read through their index."""
    return (
        Topic.objects.filter(indexable_articles__gte=THIN_TOPIC)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
