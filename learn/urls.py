from django.urls import path
from django.views.generic import RedirectView

from learn import paths, views
from learn.caching import cache_for_readers
from learn.feeds import LatestArticlesFeed, SubjectFeed
from learn.views import reader_methods

app_name = "learn"

urlpatterns = [
    path("", cache_for_readers(views.HomeView.as_view()), name="home"),
    path("learn/", cache_for_readers(views.SubjectListView.as_view()), name="subject_list"),
    path(paths.TOPICS.route, cache_for_readers(views.TopicsIndexView.as_view()), name="topics"),
    path(
        paths.TOPIC_LETTER.route,
        cache_for_readers(views.TopicLetterView.as_view()),
        name="topic_letter",
    ),
    path(paths.TOPIC.route, cache_for_readers(views.TopicView.as_view()), name="topic"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path(paths.SUBJECT_FEED.route, SubjectFeed(), name="subject_feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path(
        paths.SUBJECT_HOME.route,
        RedirectView.as_view(pattern_name="learn:article_list", permanent=True),
    ),
    path(
        paths.SUBJECT.route,
        cache_for_readers(views.ArticleListView.as_view()),
        name="article_list",
    ),
    path(
        paths.ARTICLE.route,
        cache_for_readers(views.ArticleDetailView.as_view()),
        name="article_detail",
    ),
    # The source URLs have no trailing slash; the slashed form is the same page.
    path(
        paths.ARTICLE.route + "/",
        RedirectView.as_view(
            pattern_name="learn:article_detail", permanent=True, query_string=True
        ),
    ),
    # Topics lived here until subjects needed every /learn/<slug>/ path; after the
    # subject routes, so that a subject slugged "topics" keeps its list.
    path(
        "learn/topics/<str:slug>/",
        RedirectView.as_view(pattern_name="learn:topic", permanent=True, query_string=True),
    ),
]

# Every reader URL takes the same methods (redirects and feeds included).
for pattern in urlpatterns:
    pattern.callback = reader_methods(pattern.callback)
