"""The editors' admin, driven through the test client as an editor."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn import history
from learn.admin import ArticleAdmin, EstimatedCountPaginator
from learn.importer import import_sources
from learn.models import (
    Article,
    ImportRun,
    Redirect,
    RelatedLink,
    Subject,
    publication_moment,
)
from learn.sources import Source
from tests.conftest import article_text, zip_bytes
from tests.factories import make_article, make_subject
from tests.plans import plan_steps

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/learn/article/"
SUBJECTS = "/admin/learn/subject/"
IMPORTS = "/admin/learn/importrun/"
LIST_QUERIES = 7
PREVIEW_QUERIES = 19


def form_data(article, **changes):
    """The change form's POST data for ``article``, with ``changes`` applied."""
    data = {
        "question": article.question,
        "title": article.title,
        "subject": article.subject_id,
        "slug": article.slug,
        "answer": article.answer,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "tags": ", ".join(t.name for t in article.tags.all()) if article.pk else "",
        "status": article.status,
        "published_on": article.published_on.isoformat(),
        "published_time": article.published_time.isoformat(),
        "author": article.author,
        "date_format": article.date_format,
        "posted_on_text": article.posted_on_text,
        "source_id": article.source_id or "",
        "source_file": article.source_file,
        "score": "" if article.score is None else article.score,
        "extra": "{}",
        # The revision the editor opened (learn.history), as the form renders it.
        "seen_revision": (article.pk and history.latest_version_id(article.pk)) or "",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "5",
    }
    data.update(changes)
    return data


def many_articles(count, subject=None):
    subject = subject or Subject.objects.get_or_create(slug="bulk", name="Bulk")[0]
    Article.objects.bulk_create(
        Article(
            subject=subject,
            slug=f"q-{i}",
            question=f"Bulk question {i}?",
            title=f"Bulk question {i}?",
            answer="An answer.",
            answer_html="<p>An answer.</p>",
        )
        for i in range(count)
    )
    return subject


def test_changelist_shows_columns_and_link_health(editor_client):
    """The list shows question, subject, status, date, last change and related-link health."""
    b = make_article(slug="b", question="Question B?")
    make_article(related=[b, "/learn/computer-science/questions/gone"])
    html = editor_client.get(ARTICLES).content.decode()
    assert "What is a test?" in html
    assert "Computer Science" in html
    assert "2, 1 dangling" in html
    assert "column-updated_at" in html and "column-published_on" in html


@pytest.mark.parametrize(
    ("term", "found", "missing"),
    [
        ("tested", "What is tested?", "Other question?"),
        ("other-slug", "Other question?", "What is tested?"),
        ("4242", "Other question?", "What is tested?"),
        ("pytest", "What is tested?", "Other question?"),
    ],
)
def test_search_by_question_slug_id_and_keyword(editor_client, term, found, missing):
    """Search finds articles by question, slug, front-matter id and topic."""
    make_article(slug="tested", question="What is tested?", tags=["pytest", "unit"], source_id=1)
    make_article(
        slug="other-slug",
        question="Other question?",
        answer="Nothing of the kind.",
        tags=["misc"],
        source_id=4242,
    )
    html = editor_client.get(ARTICLES, {"q": term}).content.decode()
    assert found in html
    assert missing not in html


def test_search_words_match_anywhere_in_the_question_or_slug_and_wildcards_are_text(
    editor_client,
):
    """Each word of the term is looked for in the question (any case) or in the slug,
    apart or together, as the admin's search fields are; % and _ are characters, not
    wildcards."""
    questions = {
        "open-models": "How do OPEN source models help?",
        "enough": "Is 100% enough?",
        "thousand": "Is 1000 enough?",
        "snake_case": "What is a naming style?",
        "other": "Something else?",
    }
    for slug, question in questions.items():
        make_article(slug=slug, question=question)

    def found(term):
        html = editor_client.get(ARTICLES, {"q": term}).content.decode()
        return {slug for slug, question in questions.items() if question in html}

    assert found("open models") == {"open-models"}
    assert found('"source models"') == {"open-models"}
    assert found("100%") == {"enough"}
    assert found("snake_case") == {"snake_case"}
    assert found("models 1000") == set()


BIG_TABLES = ("learn_article", "taggit_taggeditem", "learn_relatedlink")


def plans(queries):
    """The steps of the plans of ``queries`` (captured) that read the articles or what
    hangs off them: every table the admin's list and search read is big, so on these
    small ones PostgreSQL is asked for the indexes (no scan, no sort)."""
    return [
        step
        for query in queries
        if query["sql"].startswith("SELECT") and "learn_article" in query["sql"]
        for step in plan_steps(query["sql"], avoid=("seqscan", "sort"))
    ]


def full_scans(steps):
    """Of plan ``steps``, those reading a big table whole: without an index, or FTS5
    reading every row (a plan with no index string: a LIKE with ESCAPE, say)."""
    return [
        step
        for step in steps
        if any(step.startswith(f"Seq Scan on {table} ") for table in BIG_TABLES)
        or any(step.split(" AS ")[0].strip() == f"SCAN {table}" for table in BIG_TABLES)
        or (step.startswith("SCAN learn_article_") and step.endswith(":"))
    ]


def sorts(steps):
    """Of plan ``steps``, the sorts: of every row a filter keeps, before a page is taken."""
    return [step for step in steps if step.startswith(("Sort ", "USE TEMP B-TREE"))]


@pytest.mark.parametrize("term", ["tested", "what tested", "4242"])
def test_the_lists_search_reads_through_indexes(editor_client, term):
    """Searching the list reads the big tables through their indexes: the questions on
    SQLite through their trigram table, the slugs through their index, the topics by
    name before their tagged items. (It then sorts the ids it found, a bounded set.)"""
    make_article(slug="tested", question="What is tested?", tags=["tested"], source_id=4242)
    with CaptureQueriesContext(connection) as queries:
        assert "What is tested?" in editor_client.get(ARTICLES, {"q": term}).content.decode()
    assert full_scans(plans(queries.captured_queries)) == []


def test_the_dangling_filter_walks_the_lists_index(editor_client):
    """Filtering by dangling links walks the list's own order and probes each article's
    links, so the first page is read without reading or sorting every match."""
    make_article(slug="fine", question="All fine?")
    make_article(slug="gone", related=["/learn/computer-science/questions/gone-away"])
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(ARTICLES, {"dangling": "yes"}).content.decode()
    assert "What is a test?" in html and "All fine?" not in html
    steps = plans(queries.captured_queries)
    assert full_scans(steps) == []
    assert sorts(steps) == []


def test_search_with_words_on_the_id_field_does_not_fail(editor_client):
    """A search term that is not a number is simply not matched against the id."""
    make_article()
    assert editor_client.get(ARTICLES, {"q": "what test"}).status_code == 200


def test_filters_show_facet_counts_on_request_and_dangling_filter(editor_client):
    """Filters carry counts when asked ("Show counts"), and "has dangling links" keeps
    only articles with one."""
    make_article(slug="b", question="Question B?")
    make_article(slug="c", question="Question C?", subject="Biology")
    make_article(related=["/learn/computer-science/questions/gone"])
    assert "Has dangling links (1)" not in editor_client.get(ARTICLES).content.decode()
    html = editor_client.get(ARTICLES, {"_facets": "True"}).content.decode()
    assert "Has dangling links (1)" in html
    assert "Computer Science (2)" in html
    filtered = editor_client.get(ARTICLES, {"dangling": "yes"}).content.decode()
    assert "What is a test?" in filtered and "Question B?" not in filtered
    assert "Question B?" in editor_client.get(ARTICLES, {"dangling": "no"}).content.decode()


def test_filtered_list_counts_up_to_the_limit(editor_client, monkeypatch):
    """A filtered list counts at most COUNT_LIMIT articles, however many match, and says
    so: more than the limit, where more match; the exact count at the limit itself."""
    monkeypatch.setattr(EstimatedCountPaginator, "COUNT_LIMIT", 3)
    many_articles(5)
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(ARTICLES, {"status__exact": "published"}).content.decode()
    assert "More than 3 articles" in html
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    searched = editor_client.get(ARTICLES, {"q": "Bulk"}).content.decode()
    assert "More than 3 results" in searched and "More than 3 articles" in searched

    monkeypatch.setattr(EstimatedCountPaginator, "COUNT_LIMIT", 5)
    html = editor_client.get(ARTICLES, {"status__exact": "published"}).content.decode()
    assert "More than" not in html and "5 articles" in html

    many_articles(1000, Subject.objects.create(slug="more", name="More"))
    monkeypatch.setattr(EstimatedCountPaginator, "COUNT_LIMIT", 1000)
    html = editor_client.get(ARTICLES, {"status__exact": "published"}).content.decode()
    assert "More than 1,000 articles" in html


def test_whole_list_counts_from_the_statistics_on_postgresql(editor_client, monkeypatch):
    """Unfiltered, the list is counted from PostgreSQL's row estimate (exactly on
    SQLite, and on a table too small to estimate), never by a count over the table."""
    monkeypatch.setattr(EstimatedCountPaginator, "COUNT_LIMIT", 3)
    many_articles(5)
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learn_article")
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(ARTICLES).content.decode()
    # The estimate is said to be one.
    assert "5 articles" in html and ("About 5 articles" in html) == postgres
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(")]
    assert counts == ([] if postgres else ['SELECT COUNT(*) AS "__count" FROM "learn_article"'])


def test_status_and_no_index_filters(editor_client):
    """Status and no_index filter the list."""
    make_article(slug="a", question="Draft one?")
    make_article(slug="b", question="Hidden one?", no_index=True)
    Article.objects.filter(slug="a").update(status=Article.Status.DRAFT)
    drafts = editor_client.get(ARTICLES, {"state": "draft"}).content.decode()
    assert "Draft one?" in drafts and "Hidden one?" not in drafts
    hidden = editor_client.get(ARTICLES, {"no_index__exact": "1"}).content.decode()
    assert "Hidden one?" in hidden and "Draft one?" not in hidden


def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, django_assert_max_num_queries
):
    """The list page costs the same number of queries for 5 articles as for 100."""
    subject = many_articles(5)
    editor_client.get(ARTICLES)
    with CaptureQueriesContext(connection) as small:
        editor_client.get(ARTICLES)
    Article.objects.all().delete()
    many_articles(100, subject)
    for article in Article.objects.all()[:50]:
        RelatedLink.objects.create(
            article=article, position=1, target_title="t", target_url="/learn/x/questions/y"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = editor_client.get(ARTICLES)
    assert response.content.decode().count("Bulk question") >= 100


def test_edit_form_has_fieldsets_tags_and_the_live_preview(editor_client):
    """The edit form groups fields, lists topics with commas, and has the preview pane
    (posting to the article's preview view) with its script."""
    article = make_article(tags=["testing", "Quality"])
    html = editor_client.get(f"{ARTICLES}{article.pk}/change/").content.decode()
    for heading in ("Content", "SEO", "Publishing", "Source"):
        assert f">{heading}</h2>" in html
    assert 'value="Quality, testing"' in html
    assert f'data-preview-url="{ARTICLES}{article.pk}/preview/"' in html
    assert '<iframe id="article-preview"' in html
    assert "admin/learn/article-preview.js" in html
    assert "rendered answer" not in html


def test_edit_saves_answer_tags_and_rerenders(editor_client):
    """Saving re-renders the answer and replaces topics from the comma list."""
    article = make_article()
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/change/",
        form_data(article, answer="Now *emphasised*.", tags="β-1,4-glycosidic, Bonds,bonds"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert "<em>emphasised</em>" in article.answer_html
    assert sorted(t.name for t in article.tags.all()) == ["Bonds", "β-1,4-glycosidic"]


def test_topics_are_stored_in_one_order_whichever_path_wrote_them(editor_client):
    """Importing ``zeta, Alpha`` and saving the same topics in the admin store one text."""
    import_sources([Source("a.md", article_text(keywords="zeta, Alpha").encode())])
    article = Article.objects.get()
    imported = article.keywords
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/change/", form_data(article, tags="zeta, Alpha")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert imported == article.keywords == "Alpha, zeta"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "Bad_Slug"}, "slug", "invalid slug 'Bad_Slug'"),
        ({"slug": "a" * 1001}, "slug", "at most 1000 characters"),
        ({"question": "   "}, "question", "This field is required."),
        ({"answer": ""}, "answer", "This field is required."),
    ],
)
def test_edit_applies_the_importers_rules(editor_client, changes, field, message):
    """An edit the importer would refuse is refused with a message on the field."""
    article = make_article()
    response = editor_client.post(f"{ARTICLES}{article.pk}/change/", form_data(article, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])


def test_slug_taken_in_the_subject_is_refused(editor_client):
    """Two articles cannot share a URL: the database constraint shows as a form error."""
    make_article(slug="a")
    article = make_article(slug="b")
    response = editor_client.post(f"{ARTICLES}{article.pk}/change/", form_data(article, slug="a"))
    assert response.status_code == 200
    assert "Article with this Subject and Slug already exists." in response.content.decode()
    assert Article.objects.get(pk=article.pk).slug == "b"


def test_related_links_inline_sets_target_url_and_title(editor_client):
    """A link chosen by autocomplete stores the target's URL and question."""
    target = make_article(slug="b", question="Question B?")
    article = make_article()
    data = form_data(
        article,
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "1",
            "related_links-0-target": str(target.pk),
        },
    )
    response = editor_client.post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 302
    link = article.related_links.get()
    assert (link.target_id, link.target_url, link.target_title) == (
        target.pk,
        "/learn/computer-science/questions/b",
        "Question B?",
    )


def test_reslug_creates_a_redirect(editor_client, client):
    """Changing the slug keeps the old URL working with a permanent redirect."""
    article = make_article()
    editor_client.post(f"{ARTICLES}{article.pk}/change/", form_data(article, slug="renamed"))
    assert Redirect.objects.get().old_path == "/learn/computer-science/questions/what-is-a-test"
    response = client.get("/learn/computer-science/questions/what-is-a-test")
    assert response.status_code == 301
    assert response["Location"] == "/learn/computer-science/questions/renamed"


def test_preview_renders_the_unsaved_form_with_the_readers_template(editor_client):
    """The preview is the readers' article page of the posted form: its meta line,
    topics, the chosen related question and the site's stylesheet, with the answer
    rendered as saving renders it; nothing is saved or logged."""
    target = make_article(slug="target", question="Where does it lead?")
    article = make_article(tags=["pytest"])
    data = form_data(
        article,
        question="What is a changed test?",
        answer="$x \\neq y$ and **new**\n\n```python\nprint(1)\n```",
        author="Ana",
        tags="pytest, fresh topic",
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "1",
            "related_links-0-target": str(target.pk),
        },
    )
    response = editor_client.post(f"{ARTICLES}{article.pk}/preview/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "learn/article_detail.html" in [t.name for t in response.templates]
    assert "<h1>What is a changed test?</h1>" in html
    assert "Posted on <time" in html and "· Ana ·" in html
    assert 'rel="tag">pytest</a>' in html and 'rel="tag">fresh topic</a>' in html
    assert "Where does it lead?" in html
    assert "/static/css/site.css" in html and "/static/css/pygments.css" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    assert "Preview</strong>: not saved" in html
    editor_client.post(f"{ARTICLES}{article.pk}/change/", data)
    article.refresh_from_db()
    assert f'<div class="answer">{article.answer_html}</div>' in html
    assert "<math" in article.answer_html


def test_preview_saves_nothing(editor_client):
    """Previewing writes no row: the article, its topics and its history are as before."""
    from django.contrib.admin.models import LogEntry

    article = make_article(tags=["pytest"])
    editor_client.post(
        f"{ARTICLES}{article.pk}/preview/", form_data(article, answer="Other.", tags="x")
    )
    article.refresh_from_db()
    assert article.answer.startswith("A test") and [t.name for t in article.tags.all()] == [
        "pytest"
    ]
    assert not LogEntry.objects.exists()


def test_preview_shows_the_table_of_contents_readers_will_see(editor_client):
    """A long answer's preview has the contents the article page will have."""
    article = make_article()
    answer = "### One\n\nText.\n\n### Two\n\n### Three"
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/preview/", form_data(article, answer=answer)
    )
    html = response.content.decode()
    assert '<nav class="toc" aria-labelledby="toc-heading">' in html
    assert '<a href="#answer-two">Two</a>' in html
    assert '<h2 id="answer-two">Two</h2>' in html


def test_preview_of_a_new_article_shows_form_errors(editor_client):
    """Previewing an unsaved article renders its answer and lists what would not save."""
    response = editor_client.post(
        f"{ARTICLES}preview/", {"question": "Q?", "answer": "Hello *there*", "slug": "Bad Slug"}
    )
    html = response.content.decode()
    assert "<em>there</em>" in html
    assert "slug:" in html and "subject:" in html
    assert not Article.objects.exists()


def test_preview_does_not_render_an_answer_that_would_not_save(editor_client):
    """An answer over the limit is listed as an error, never rendered."""
    article = make_article()
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/preview/", form_data(article, answer="*x* " * 5000)
    )
    html = response.content.decode()
    assert "answer: The answer is" in html and "<em>x</em>" not in html


def test_preview_is_post_only_csrf_protected_and_for_editors(
    editor_client, client, django_user_model
):
    """GET is refused, a POST without the CSRF token too, and staff who may not change
    articles are forbidden."""
    article = make_article()
    url = f"{ARTICLES}{article.pk}/preview/"
    assert editor_client.get(url).status_code == 405
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(django_user_model.objects.get(username="editor"))
    assert checked.post(url, form_data(article)).status_code == 403
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.post(url, form_data(article)).status_code == 403


def test_preview_takes_a_fixed_number_of_queries(editor_client, django_assert_num_queries):
    """A preview costs the same queries whatever the corpus: session, user and its
    permissions, the article and its saved version, its latest revision (for the form;
    a preview checks no conflict), the form's choices, the topics, the related
    questions and the navigation."""
    article = make_article(tags=["pytest"])
    data = form_data(article, tags="pytest")
    editor_client.post(f"{ARTICLES}{article.pk}/preview/", data)
    with django_assert_num_queries(PREVIEW_QUERIES):
        editor_client.post(f"{ARTICLES}{article.pk}/preview/", data)


def test_publish_and_unpublish_actions(editor_client):
    """The bulk actions change the status of the selected articles only."""
    a = make_article(slug="a")
    b = make_article(slug="b")
    editor_client.post(ARTICLES, {"action": "unpublish", "_selected_action": [a.pk, b.pk]})
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    editor_client.post(ARTICLES, {"action": "publish", "_selected_action": [a.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("published", "draft")
    history = editor_client.get(f"{ARTICLES}{a.pk}/history/").content.decode()
    assert "Unpublished." in history and "Published." in history


def test_move_action_asks_for_a_subject_then_moves_with_redirects(editor_client, client):
    """Moving shows a page to pick the subject, then moves, redirects and reports clashes."""
    a = make_article(slug="a")
    b = make_article(slug="b")
    biology = make_article(slug="b", subject="Biology").subject
    selection = {"action": "move_to_subject", "_selected_action": [a.pk, b.pk]}
    page = editor_client.post(ARTICLES, selection)
    assert page.status_code == 200
    assert "Move to" in page.content.decode()
    response = editor_client.post(
        ARTICLES, {**selection, "apply": "1", "subject": biology.pk}, follow=True
    )
    html = response.content.decode()
    assert "Moved 1 articles to Biology" in html
    assert "already has these slugs: b" in html
    a.refresh_from_db()
    assert a.subject == biology
    assert Article.objects.get(pk=b.pk).subject.slug == "computer-science"
    old = client.get("/learn/computer-science/questions/a")
    assert old["Location"] == "/learn/biology/questions/a"


def test_subject_list_counts_articles_and_reslug_redirects(editor_client, client):
    """Subjects show article counts; a new slug redirects the old list and article URLs."""
    article = make_article()
    html = editor_client.get(SUBJECTS).content.decode()
    assert 'class="field-article_count">1<' in html
    subject = article.subject
    response = editor_client.post(
        f"{SUBJECTS}{subject.pk}/change/", {"name": "Computing", "slug": "computing"}
    )
    assert response.status_code == 302
    assert client.get("/learn/computer-science/questions/")["Location"] == (
        "/learn/computing/questions/"
    )
    assert client.get("/learn/computer-science/questions/what-is-a-test")["Location"] == (
        "/learn/computing/questions/what-is-a-test"
    )


def test_merge_subjects_confirms_then_moves_and_deletes(editor_client, client):
    """Merging asks for the target, moves the articles, redirects and deletes the source."""
    make_article(slug="a", subject="Comp Sci")
    target = make_article(slug="b").subject
    source = Subject.objects.get(slug="comp-sci")
    selection = {"action": "merge", "_selected_action": [source.pk]}
    page = editor_client.post(SUBJECTS, selection)
    assert "Merge into" in page.content.decode()
    editor_client.post(SUBJECTS, {**selection, "apply": "1", "target": target.pk})
    assert not Subject.objects.filter(slug="comp-sci").exists()
    assert Article.objects.get(slug="a").subject == target
    assert client.get("/learn/comp-sci/questions/a")["Location"] == (
        "/learn/computer-science/questions/a"
    )


def test_merge_with_clashing_slugs_is_reported_not_done(editor_client):
    """A merge that would put two articles at one URL is refused and names the slugs."""
    make_article(slug="same", subject="Comp Sci")
    target = make_article(slug="same").subject
    source = Subject.objects.get(slug="comp-sci")
    response = editor_client.post(
        SUBJECTS,
        {"action": "merge", "_selected_action": [source.pk], "apply": "1", "target": target.pk},
        follow=True,
    )
    assert "already has these slugs: same" in response.content.decode()
    assert Subject.objects.filter(pk=source.pk).exists()


def test_redirects_are_listed_and_editable(editor_client, client):
    """Editors see redirects with their destination and can add one by hand."""
    article = make_article()
    response = editor_client.post(
        "/admin/learn/redirect/add/", {"old_path": "/learn/old/questions/x", "article": article.pk}
    )
    assert response.status_code == 302
    html = editor_client.get("/admin/learn/redirect/").content.decode()
    assert "/learn/computer-science/questions/what-is-a-test" in html
    assert client.get("/learn/old/questions/x").status_code == 301
    both = editor_client.post(
        "/admin/learn/redirect/add/",
        {
            "old_path": "/learn/old/questions/y",
            "article": article.pk,
            "subject": article.subject_id,
        },
    )
    assert "Choose an article or a subject, not both." in both.content.decode()


def test_redirect_saved_with_a_trailing_slash_fires(editor_client, client):
    """An article's old URL typed with a slash is stored as readers request it."""
    article = make_article()
    old = "/learn/computer-science/questions/old-one"
    data = {"old_path": old + "/", "article": article.pk}
    assert editor_client.post("/admin/learn/redirect/add/", data).status_code == 302
    assert Redirect.objects.get().old_path == old
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())


def test_redirect_from_its_targets_own_url_is_refused(editor_client):
    """A redirect from an article's URL to it, or a subject's list to it, would loop."""
    article = make_article()
    for data in (
        {"old_path": article.get_absolute_url(), "article": article.pk},
        {"old_path": article.subject.get_absolute_url(), "subject": article.subject_id},
    ):
        response = editor_client.post("/admin/learn/redirect/add/", data)
        assert response.status_code == 200
        assert "readers would be sent back here for ever" in response.content.decode()
    assert not Redirect.objects.exists()


def test_upload_dry_run_then_confirm(editor_client, editor):
    """An uploaded zip is tried first, showing outcomes and failures, then applied on confirm."""
    import_sources([Source("old.md", article_text(slug="existing", answer="Old.").encode())])
    data = zip_bytes(
        {
            "new.md": article_text(slug="new-one"),
            "dir/existing.md": article_text(slug="existing", answer="Changed."),
            "bad.md": "no front matter",
            "notes.txt": "hello",
            "../escape.md": article_text(slug="escape"),
        }
    )
    response = editor_client.post(
        f"{IMPORTS}add/", {"files": SimpleUploadedFile("batch.zip", data)}
    )
    run = ImportRun.objects.get()
    assert response["Location"] == f"{IMPORTS}{run.pk}/change/"
    assert (run.status, run.created, run.updated, run.failed) == ("pending", 1, 1, 1)
    assert not Article.objects.filter(slug="new-one").exists()
    html = editor_client.get(response["Location"]).content.decode()
    assert "Confirm import" in html
    assert "bad.md:1" in html and "no front matter" in html
    assert "notes.txt" in html and "not a .md file" in html
    assert "../escape.md" in html and "unsafe path" in html

    editor_client.post(f"{IMPORTS}{run.pk}/confirm/", {"apply": "1"})
    run.refresh_from_db()
    assert (run.status, run.user, run.origin, run.created) == ("applied", editor, "admin", 1)
    assert run.upload is None
    assert Article.objects.filter(slug="new-one").exists()
    assert "Changed." in Article.objects.get(slug="existing").answer
    assert editor_client.post(f"{IMPORTS}{run.pk}/confirm/", {"apply": "1"}).status_code == 404


def test_upload_of_md_files_and_discard(editor_client):
    """Several .md files can be uploaded at once; discarding writes nothing."""
    files = [
        SimpleUploadedFile("a.md", article_text(slug="a").encode()),
        SimpleUploadedFile("b.md", article_text(slug="b").encode()),
    ]
    editor_client.post(f"{IMPORTS}add/", {"files": files})
    run = ImportRun.objects.get()
    assert run.created == 2 and run.outcomes["created"] == ["a.md", "b.md"]
    editor_client.post(f"{IMPORTS}{run.pk}/confirm/", {"discard": "1"})
    run.refresh_from_db()
    assert run.status == "discarded" and run.upload is None
    assert not Article.objects.exists()


def test_upload_that_is_not_a_zip_is_a_form_error(editor_client):
    """A .zip that is not a zip, or a file of another type, is refused on the form."""
    response = editor_client.post(
        f"{IMPORTS}add/", {"files": SimpleUploadedFile("x.zip", b"not a zip")}
    )
    assert "not a zip file" in response.content.decode()
    response = editor_client.post(
        f"{IMPORTS}add/",
        {"files": [SimpleUploadedFile("x.txt", b"x"), SimpleUploadedFile("y.md", b"y")]},
    )
    assert "upload .md files, or one .zip of them" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_import_runs_are_read_only(editor_client):
    """A recorded run can be viewed but not changed or deleted."""
    run = ImportRun.objects.create(origin="command", source="fixtures/", status="applied")
    html = editor_client.get(f"{IMPORTS}{run.pk}/change/").content.decode()
    assert "fixtures/" in html and 'name="_save"' not in html
    assert editor_client.post(f"{IMPORTS}{run.pk}/delete/").status_code == 403


def test_future_publication_date_hides_until_then(editor_client):
    """A published article dated tomorrow is not shown to readers yet."""
    article = make_article()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    editor_client.post(
        f"{ARTICLES}{article.pk}/change/",
        form_data(article, published_on=tomorrow.isoformat()),
    )
    reader = Client()
    assert reader.get("/learn/computer-science/questions/what-is-a-test").status_code == 404


def test_topic_search_does_not_make_the_list_distinct(editor_client):
    """Searching topics uses EXISTS, so the list query stays free of SELECT DISTINCT."""
    make_article(tags=["pytest"])
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(ARTICLES, {"q": "pyt"}).content.decode()
    assert "What is a test?" in html
    assert not any(
        'DISTINCT "learn_article"."id"' in query["sql"] for query in queries.captured_queries
    )


def test_new_article_or_subject_at_a_redirected_url_takes_it_back(editor_client):
    """Adding an article or subject where a redirect leaves from removes that redirect."""
    article = make_article(slug="moved")
    subject = article.subject
    Redirect.objects.create(old_path="/learn/computer-science/questions/again", article=article)
    Redirect.objects.create(old_path="/learn/biology/questions/", subject=subject)
    editor_client.post(f"{SUBJECTS}add/", {"name": "Biology", "slug": "biology"})
    new = Article(subject=subject, slug="again", question="Again?", title="Again?", answer="A.")
    response = editor_client.post(f"{ARTICLES}add/", form_data(new))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Redirect.objects.exists()


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_subject_autocomplete_lists_subjects_by_name(editor_client):
    """The article form's subject picker pages through subjects in name order."""
    for name in ("Zoology", "Art", "Music"):
        make_subject(name)
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "learn", "model_name": "article", "field_name": "subject"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Art", "Music", "Zoology"]


def test_search_finds_words_of_the_answer_through_the_index(editor_client):
    """The list's search reads the full-text index: a word only in an answer (stemmed,
    as the readers' search reads it) finds the article, drafts included."""
    make_article(answer="Plants do **photosynthesis** in light.", status=Article.Status.DRAFT)
    make_article(slug="other", question="Other question?", answer="Nothing to see.")
    html = editor_client.get(ARTICLES, {"q": "photosynthesis"}).content.decode()
    assert "What is a test?" in html and "Other question?" not in html
    assert "What is a test?" in editor_client.get(ARTICLES, {"q": "plant"}).content.decode()


def test_search_with_index_syntax_is_read_as_words(editor_client):
    """Search syntax of either index (FTS5 operators, tsquery signs) finds nothing more
    and fails on nothing."""
    make_article()
    for term in ['"unbalanced', "NEAR(a b)", "a & | !b", "-", "*"]:
        assert editor_client.get(ARTICLES, {"q": term}).status_code == 200


def test_changelist_reads_no_answer(editor_client):
    """The list's query loads neither the answer nor its HTML."""
    make_article(answer="A secret-ish long answer.")
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(ARTICLES).content.decode()
    assert "What is a test?" in html
    listing = [q["sql"] for q in queries if q["sql"].startswith('SELECT "learn_article"."id"')]
    assert len(listing) == 1
    assert '"learn_article"."question"' in listing[0]
    assert '"learn_article"."answer' not in listing[0]


def test_changelist_and_its_search_take_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries
):
    """Listing and searching cost the same queries at any size: the session, the user,
    the user's and the group's permissions, the subjects' filter, the count and the
    page; nothing per row, and the search one bounded query a kind of match (text,
    topic, full text)."""
    many_articles(30)
    editor_client.get(ARTICLES, {"q": "bulk"})
    # Unfiltered on PostgreSQL, the table's row estimate first (then, this small, a count).
    with django_assert_num_queries(LIST_QUERIES + (connection.vendor == "postgresql")):
        editor_client.get(ARTICLES)
    with django_assert_num_queries(LIST_QUERIES + 3):
        response = editor_client.get(ARTICLES, {"q": "bulk"})
    assert response.context["cl"].result_count == 30


def test_a_common_word_lists_a_bounded_set_of_matches_and_says_so(editor_client, monkeypatch):
    """Each kind of match adds at most SEARCH_MATCHES ids, so that a word in every
    article costs what a rare one does; the list says it is not all."""
    monkeypatch.setattr(ArticleAdmin, "SEARCH_MATCHES", 2)
    many_articles(5)
    many_articles(3, Subject.objects.create(slug="other", name="Other"))
    Article.objects.filter(subject__slug="other").update(question="Another one?")
    html = editor_client.get(ARTICLES, {"q": "bulk"}).content.decode()
    # Question and full text match the same five: two of each kind, two to four in all.
    assert 2 <= sum(f"Bulk question {i}?" in html for i in range(5)) <= 4
    assert "Another one?" not in html
    assert "More than 2 articles match “bulk”" in html
    html = editor_client.get(ARTICLES, {"q": "question 3"}).content.decode()
    assert "Bulk question 3?" in html and "More than" not in html


def test_full_text_matches_are_taken_from_the_questions_first(editor_client, monkeypatch):
    """Where the questions hold more matches of a word than the list takes of a kind, the
    full-text kind's are those (from the questions' own index, as the readers' search
    takes its candidates), not the first of every answer the whole index yields."""
    monkeypatch.setattr(ArticleAdmin, "SEARCH_MATCHES", 2)
    # Matches in the answer only first: the first rows the whole index yields.
    for n in range(3):
        make_article(
            slug=f"a-{n}", question=f"Plain {n}?", answer="Chlorophyll drives photosynthesis."
        )
    for n in range(3):
        make_article(slug=f"q-{n}", question=f"Why photosynthesis {n}?")
    html = editor_client.get(ARTICLES, {"q": "photosynthesis"}).content.decode()
    assert sum(f"Why photosynthesis {n}?" in html for n in range(3)) >= 2
    assert not any(f"Plain {n}?" in html for n in range(3))
    # Where the questions hold too few, the answers' matches fill the kind.
    html = editor_client.get(ARTICLES, {"q": "chlorophyll"}).content.decode()
    assert sum(f"Plain {n}?" in html for n in range(3)) == 2


def test_scheduled_articles_show_as_scheduled_and_filter(editor_client):
    """A published article dated ahead shows "Scheduled for <date time>" in the list,
    and the state filter tells drafts, published and scheduled articles apart."""
    make_article(slug="live", question="Live one?")
    make_article(slug="draft", question="Draft one?", status=Article.Status.DRAFT)
    later = timezone.localdate() + datetime.timedelta(days=3)
    make_article(
        slug="later", question="Later one?", published_on=later, published_time=datetime.time(8, 5)
    )
    html = editor_client.get(ARTICLES).content.decode()
    assert f"Scheduled for {later.isoformat()} 08:05" in html
    for state, shown in [
        ("scheduled", "Later one?"),
        ("published", "Live one?"),
        ("draft", "Draft one?"),
    ]:
        html = editor_client.get(ARTICLES, {"state": state}).content.decode()
        others = {"Later one?", "Live one?", "Draft one?"} - {shown}
        assert shown in html and not any(other in html for other in others)
    facets = editor_client.get(ARTICLES, {"_facets": "True"}).content.decode()
    assert "Scheduled (1)" in facets and "Published (1)" in facets


def test_editor_schedules_at_a_date_and_time(editor_client, clock):
    """The form takes a publication time in the site's time zone: readers see the
    article from that moment, not from the day's start."""
    article = make_article()
    day = timezone.localdate() + datetime.timedelta(days=1)
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/change/",
        form_data(article, published_on=day.isoformat(), published_time="16:30"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_time == datetime.time(16, 30)
    reader = Client()
    clock(publication_moment(day, datetime.time(16, 29, 59)))
    assert reader.get(article.get_absolute_url()).status_code == 404
    clock(publication_moment(day, datetime.time(16, 30)))
    assert reader.get(article.get_absolute_url()).status_code == 200
