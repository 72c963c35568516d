"""Subjects and articles saved through the ORM, for tests that are not about importing.

A view, admin, cache or SEO test built on the importer fails whenever parsing changes;
these go through ``save()`` and taggit instead, as an editor's change does, so the model
renders ``answer_html`` and keeps its derived fields itself. Tests of import behaviour
keep writing files (``tests.conftest.article_text``).
"""

import datetime

from django.utils.text import slugify

from learn.models import Article, RelatedLink, Subject

# The date the tests' pages show unless a test gives another.
PUBLISHED_ON = datetime.date(2024, 12, 11)


def make_subject(name="Computer Science", slug=None):
    """The subject with this slug (by default the name's), created when missing."""
    subject, _ = Subject.objects.get_or_create(slug=slug or slugify(name), defaults={"name": name})
    return subject


def make_article(
    *,
    subject="Computer Science",
    slug="what-is-a-test",
    question="What is a test?",
    answer="A test **checks** behaviour.\n\n1. Arrange\n2. Act",
    tags=(),
    related=(),
    status=Article.Status.PUBLISHED,
    published_on=PUBLISHED_ON,
    **fields,
):
    """A saved article; ``subject`` is a Subject or a name, other fields go to the model.

    ``related`` lists the curated links in order: an Article is a resolved link to it,
    a string is a link to that URL that resolves to nothing (a dangling link).
    """
    if not isinstance(subject, Subject):
        subject = make_subject(subject)
    fields.setdefault("title", question)
    fields.setdefault("seo_description", f"About {question}")
    article = Article.objects.create(
        subject=subject,
        slug=slug,
        question=question,
        answer=answer,
        status=status,
        published_on=published_on,
        **fields,
    )
    # One at a time: taggit links the tags of one add() in set order, and topics are read
    # back unordered, so this keeps them in the order given, as an import does.
    for tag in tags:
        article.tags.add(tag)
    for position, target in enumerate(related, start=1):
        if isinstance(target, Article):
            link = {
                "target": target,
                "target_url": target.get_absolute_url(),
                "target_title": target.question,
                "target_source_id": target.source_id,
            }
        else:
            link = {"target_url": target, "target_title": target.rsplit("/", 1)[-1]}
        RelatedLink.objects.create(article=article, position=position, **link)
    return article
