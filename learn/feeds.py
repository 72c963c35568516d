"""Atom feeds of the latest published articles: site-wide and per subject."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from learn.models import Article, Subject
from learn.seo import SITE_DESCRIPTION, SITE_NAME

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = f"{SITE_NAME}: latest questions"
    subtitle = SITE_DESCRIPTION
    author_name = SITE_NAME

    def link(self):
        return reverse("learn:home")

    def items(self):
        return self.articles()[:FEED_SIZE]

    def articles(self):
        return Article.objects.published().select_related("subject").prefetch_related("tags")

    def item_title(self, item):
        return item.question

    def item_description(self, item):
        return item.seo_description

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return item.author

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class SubjectFeed(LatestArticlesFeed):
    def get_object(self, request, subject):
        return get_object_or_404(Subject, slug=subject)

    def title(self, subject):
        return f"{SITE_NAME}: {subject.name}"

    def subtitle(self, subject):
        return f"The latest questions and answers about {subject.name}."

    def link(self, subject):
        return subject.get_absolute_url()

    def items(self, subject):
        return self.articles().filter(subject=subject)[:FEED_SIZE]
