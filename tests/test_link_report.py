"""The broken-links report (learn.link_report, learn.admin_reports)."""

import pytest

from learn import editorial
from learn.link_report import broken_answer_links
from learn.models import Article, Redirect
from tests.factories import make_article, make_subject

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/broken-links/"


def test_an_answers_site_links_are_stored_when_it_is_rendered():
    """Only links to /learn/ paths, normalised, each once; code and other sites are no link."""
    article = make_article(
        answer="[a](/learn/biology/questions/cells/) [b](https://example.com/learn/x) "
        "`[c](/learn/q)` [d](/learn/biology/questions/cells?x=1) [e](/learn/biology/)"
    )
    assert article.answer_links == "/learn/biology/questions/cells\n/learn/biology/questions/"
    assert make_article(slug="none", answer="No links.").answer_links == ""


def test_links_to_nothing_are_reported_and_links_that_lead_somewhere_are_not():
    """An article, a subject, a reader route, an old path or a renamed subject's article
    lead somewhere; a missing, draft or unrouted path is broken."""
    target = make_article(subject="Biology", slug="cells", question="Cells?")
    make_article(subject="Biology", slug="draft", status=Article.Status.DRAFT)
    moved = make_article(subject="Biology", slug="moved")
    Redirect.objects.create(old_path="/learn/biology/questions/old-name", article=moved)
    chemistry = make_subject("Chemistry")
    Redirect.objects.create(old_path="/learn/old-chemistry/questions/", subject=chemistry)
    make_article(subject=chemistry, slug="atoms")
    links = [
        "/learn/biology/questions/cells",
        "/learn/biology/questions/",
        "/learn/",
        "/learn/biology/questions/old-name",
        "/learn/old-chemistry/questions/atoms",
        "/learn/biology/questions/missing",
        "/learn/biology/questions/draft",
        "/learn/no-such-subject/questions/",
        "/learn/what/is/this",
    ]
    article = make_article(answer=" ".join(f"[x]({link})" for link in links))

    broken = broken_answer_links()

    assert [(link.article.pk, link.path) for link in broken] == [
        (article.pk, path) for path in links[5:]
    ]
    assert target.answer_links == ""


def test_the_report_lists_dangling_related_links_with_the_article_to_fix(
    editor_client, django_assert_num_queries
):
    """Related links without a target, each with a link to its article's change page."""
    target = make_article(slug="target")
    article = make_article(
        slug="with-links", question="Links?", related=[target, "/learn/x/questions/gone"]
    )
    with django_assert_num_queries(6):
        response = editor_client.get(REPORT)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/admin/learn/article/{article.pk}/change/">Links?</a>' in html
    assert "<code>/learn/x/questions/gone</code>" in html
    assert "/learn/computer-science/questions/target</code>" not in html
    assert "(1 links)" in html


def test_the_report_lists_broken_answer_links(editor_client):
    """?kind=answers: links in answers that answer 404, with the article to fix."""
    article = make_article(question="Broken?", answer="See [this](/learn/x/questions/nothing).")
    html = editor_client.get(REPORT, {"kind": "answers"}).content.decode()
    assert f'<a href="/admin/learn/article/{article.pk}/change/">Broken?</a>' in html
    assert "<code>/learn/x/questions/nothing</code>" in html


def test_a_link_to_a_moved_article_follows_its_redirect():
    """A link to an article an editor moved leads to it through the move's redirect."""
    target = make_article(subject="Biology", slug="cells")
    make_article(answer="[c](/learn/biology/questions/cells)")
    assert broken_answer_links() == []
    editorial.articles_move(
        Article.objects.filter(pk=target.pk), subject=make_subject("Chemistry")
    )
    assert broken_answer_links() == []


def test_the_report_pages_its_links(editor_client):
    """A hundred links a page; pages past the last show the last."""
    make_article(answer=" ".join(f"[x](/learn/x/questions/n{n})" for n in range(150)))
    html = editor_client.get(REPORT, {"kind": "answers", "page": "2"}).content.decode()
    assert "Page 2 of 2 (150 links)" in html and html.count("<code>/learn/x/questions/n") == 50
    assert (
        "Page 2 of 2"
        in editor_client.get(REPORT, {"kind": "answers", "page": "99"}).content.decode()
    )


def test_the_admin_index_links_the_report_for_editors(editor_client, client, django_user_model):
    """Editors see the report on the admin index; staff without article rights get 403."""
    assert f'<a href="{REPORT}">Broken links</a>' in editor_client.get("/admin/").content.decode()
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert "Broken links" not in client.get("/admin/").content.decode()
    assert client.get(REPORT).status_code == 403


def test_the_report_needs_a_login(client):
    """Anonymous requests go to the admin's login page."""
    response = client.get(REPORT)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
