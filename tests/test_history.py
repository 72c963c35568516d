"""Articles' history: revisions from every writer, comparing two, and restoring one."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core import serializers
from reversion.models import Revision, Version

from learn import editorial, history, import_runs
from learn.models import Article, ImportRun, Redirect, RelatedLink, RevisionOrigin
from learn.redirects import find_redirect
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article, make_subject
from tests.test_admin import form_data as admin_form_data

pytestmark = pytest.mark.django_db


def snapshots(article):
    return [history.snapshot(version) for version in history.versions_of(article.pk)]


def import_texts(texts, user=None):
    sources = [Source(f"{i}.md", text.encode()) for i, text in enumerate(texts)]
    run, _ = import_runs.import_files(sources, origin="command", source="tests", user=user)
    return run


def test_record_keeps_fields_topics_and_links_with_who_and_through_what(django_user_model):
    """A revision holds the article's fields, topics and related links as they were."""
    ana = django_user_model.objects.create_user("ana")
    target = make_article(slug="target", question="Target?")
    article = make_article(
        tags=["Testing", "Quality"], related=[target, "/learn/x/questions/gone"]
    )
    [revision_id] = history.record([article.pk], via="admin", user=ana, comment="Saved.")
    [snap] = snapshots(article)
    assert snap.fields["answer"] == article.answer
    assert snap.fields["subject_id"] == article.subject_id
    assert snap.topics == ["Quality", "Testing"]
    assert [(link["position"], link["target_url"], link["target_id"]) for link in snap.links] == [
        (1, target.get_absolute_url(), target.pk),
        (2, "/learn/x/questions/gone", None),
    ]
    revision = Revision.objects.get(pk=revision_id)
    assert (revision.user, revision.comment, revision.origin.via) == (ana, "Saved.", "admin")


def test_versions_are_what_django_reversion_would_serialise():
    """The bulk rows read back as reversion's own add_to_revision() would have written
    them: Django's serialiser's data, and each object's str()."""
    target = make_article(slug="target", question="Target?")
    article = make_article(related=[target], extra={"weight": 3}, score=0.5)
    history.record([article.pk], via="admin")
    link = RelatedLink.objects.get()
    for obj, fields in ((article, history.ARTICLE_FIELDS), (link, history.LINK_FIELDS)):
        version = Version.objects.get_for_object(obj).get()
        expected = serializers.serialize("json", [obj], fields=fields)
        assert json.loads(version.serialized_data) == json.loads(expected)
        assert version.object_repr == str(obj)
        assert version._object_version.object.pk == obj.pk


@pytest.mark.parametrize(
    "moment",
    [datetime.time(9, 30), datetime.time(9, 30, 5, 123456), datetime.time(9, 30, 5, 500)],
    ids=["whole seconds", "microseconds", "under a millisecond"],
)
def test_a_scheduled_time_is_serialised_as_django_would(moment):
    """The publication time in each of the forms DjangoJSONEncoder gives a time (which
    keeps milliseconds only)."""
    article = make_article(published_time=moment)
    history.record([article.pk], via="admin")
    version = Version.objects.get_for_object(article).get()
    expected = serializers.serialize("json", [article], fields=history.ARTICLE_FIELDS)
    assert json.loads(version.serialized_data) == json.loads(expected)
    kept = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    assert history.snapshot(version).fields["published_time"] == kept


def test_restore_brings_back_the_scheduled_time():
    """A revision keeps the moment of publication, day and time, and a restore rewrites
    both (a rescheduled article goes back to its old slot)."""
    article = make_article(published_time=datetime.time(8, 0))
    history.record([article.pk], via="admin")
    first = history.versions_of(article.pk).get()
    Article.objects.filter(pk=article.pk).update(
        published_on=datetime.date(2031, 5, 1), published_time=datetime.time(17, 45)
    )
    history.record([article.pk], via="admin")
    editorial.article_restore(first, user=None)
    restored = Article.objects.get(pk=article.pk)
    assert (restored.published_on, restored.published_time) == (
        article.published_on,
        datetime.time(8, 0),
    )


def test_record_writes_one_revision_a_chunk(monkeypatch, django_assert_num_queries):
    """Many articles are recorded in bulk: a revision and one insert of versions a chunk."""
    monkeypatch.setattr(history, "CHUNK_SIZE", 2)
    ids = [make_article(slug=f"a-{i}", question=f"Q {i}?").pk for i in range(5)]
    history.record(ids, via="action")  # the content types, cached from here on
    # A chunk: the revision, its article and link versions, its origin.
    with django_assert_num_queries(3 * 4):
        revisions = history.record(ids, via="action")
    assert len(revisions) == 3
    assert Version.objects.filter(revision__in=revisions).count() == 5


def test_an_import_records_its_articles_as_revisions_of_its_run(django_user_model, monkeypatch):
    """Created and updated articles get a revision naming the import run and its user."""
    monkeypatch.setattr(history, "CHUNK_SIZE", 2)
    ana = django_user_model.objects.create_user("ana")
    texts = [article_text(slug=f"a-{i}", question=f"Question {i}?", id=i) for i in range(3)]
    run = import_texts(texts, user=ana)
    origins = RevisionOrigin.objects.filter(import_run=run)
    assert origins.count() == 2
    assert {origin.revision.user for origin in origins} == {ana}
    assert all(o.revision.comment == f"Imported by import run {run.pk}." for o in origins)
    assert Version.objects.filter(revision__origin__import_run=run).count() == 3 + 0
    # Re-importing changed bytes adds a revision; unchanged bytes add none.
    changed = [article_text(slug="a-0", question="Question 0?", id=0, keywords="new")]
    second = import_texts(changed)
    import_texts(changed)
    article = Article.objects.get(slug="a-0")
    assert [s.version.revision.origin.import_run for s in snapshots(article)] == [second, run]
    assert snapshots(article)[0].topics == ["new"]


def test_an_import_dry_run_leaves_no_revision():
    """A dry run rolls back its revisions with its articles."""
    sources = [Source("a.md", article_text().encode())]
    import_runs.import_files(sources, origin="command", source="t", dry_run=True)
    assert not Revision.objects.exists()


def test_editorial_actions_record_revisions(django_user_model):
    """Publish, unpublish, move and merge each record a revision of every article."""
    ana = django_user_model.objects.create_user("ana")
    article = make_article()
    editorial.articles_unpublish(Article.objects.all(), user=ana)
    other = make_subject("Biology")
    other_pk = other.pk
    editorial.articles_move(Article.objects.all(), subject=other, user=ana)
    third = make_subject("Physics")
    editorial.subjects_merge(source=other, target=third, user=ana)
    comments = [s.version.revision.comment for s in snapshots(article)]
    assert comments == [
        "Moved to Physics: biology was merged into it.",
        "Moved to Biology.",
        "Unpublished.",
    ]
    assert [s.fields["status"] for s in snapshots(article)] == ["draft"] * 3
    assert snapshots(article)[1].fields["subject_id"] == other_pk


def test_compare_shows_fields_side_by_side_and_the_answer_line_by_line():
    """The answer's Markdown is diffed line by line; the other fields are listed with
    the changed ones marked."""
    article = make_article(answer="one\ntwo\nthree", tags=["A"])
    history.record([article.pk], via="admin")
    Article.objects.filter(pk=article.pk).update(answer="one\n2\nthree\nfour", question="New?")
    article.tags.set(["B"])
    history.record([article.pk], via="admin")
    new, old = snapshots(article)
    comparison = history.compare(old, new)
    assert {c.label: (c.old, c.new) for c in comparison.changed_fields} == {
        "Question": ("What is a test?", "New?"),
        "Topics": ("A", "B"),
    }
    assert [(r.kind, r.old, r.new) for r in comparison.answer] == [
        ("equal", "one", "one"),
        ("replace", "two", "2"),
        ("equal", "three", "three"),
        ("insert", "", "four"),
    ]


def test_answer_rows_leave_out_distant_unchanged_lines():
    lines = [f"line {i}" for i in range(20)]
    changed = [*lines[:10], "changed", *lines[11:]]
    rows = history.answer_rows("\n".join(lines), "\n".join(changed))
    assert [r.kind for r in rows] == ["skip", *["equal"] * 3, "replace", *["equal"] * 3, "skip"]
    assert history.answer_rows("same", "same") == []


def restore_setup():
    """An article with a first revision, then changed in every way and recorded again."""
    target = make_article(slug="target", question="Target?")
    article = make_article(tags=["Old topic"], related=[target], answer="Old answer.")
    history.record([article.pk], via="admin")
    first = history.versions_of(article.pk).get()
    other = make_subject("Biology")
    article.subject, article.slug, article.answer = other, "renamed", "New answer."
    article.save()
    article.tags.set(["New topic"])
    RelatedLink.objects.filter(article=article).delete()
    history.record([article.pk], via="admin")
    return article, first


def test_restore_brings_back_fields_topics_links_and_redirects_the_url_it_leaves(
    django_user_model,
):
    """A restore rewrites the article as the revision had it, moves its URL back with a
    redirect from the one it leaves, and is itself a revision."""
    ana = django_user_model.objects.create_user("ana")
    article, first = restore_setup()
    moved_url = Article.objects.get(pk=article.pk).get_absolute_url()
    editorial.article_restore(first, user=ana)
    restored = Article.objects.select_related("subject").get(pk=article.pk)
    assert (restored.subject.slug, restored.slug) == ("computer-science", "what-is-a-test")
    assert restored.answer == "Old answer." and "Old answer." in restored.answer_html
    assert [t.name for t in restored.tags.all()] == ["Old topic"]
    assert restored.keywords == "Old topic"
    assert list(restored.related_links.values_list("target__slug", flat=True)) == ["target"]
    assert find_redirect(moved_url) == restored.get_absolute_url()
    assert not Redirect.objects.filter(old_path=restored.get_absolute_url()).exists()
    newest = history.versions_of(article.pk).first()
    assert newest.revision.origin.via == "restore"
    assert newest.revision.origin.restored_from == first.revision
    assert newest.revision.user == ana
    assert history.snapshot(newest).fields["answer"] == "Old answer."
    assert restored.subject.live_articles == 2


def test_restore_says_content_changed_once(monkeypatch):
    article, first = restore_setup()
    calls = []
    monkeypatch.setattr(editorial, "content_changed", lambda **kw: calls.append(kw))
    editorial.article_restore(first)
    assert len(calls) == 1
    assert calls[0]["articles"] == [article.pk]


def test_restore_onto_a_url_taken_since_is_refused_and_writes_nothing():
    article, first = restore_setup()
    make_article(slug="what-is-a-test", question="Someone else")
    with pytest.raises(editorial.RestoreError, match="computer-science/what-is-a-test"):
        editorial.article_restore(first)
    assert Article.objects.get(pk=article.pk).slug == "renamed"
    assert history.versions_of(article.pk).count() == 2


# The admin: saving, history pages, concurrent saves.

ARTICLES = "/admin/learn/article/"


def form_data(article, **changes):
    """The change form as a browser posts it: with the hidden initial values Django
    renders for fields with a callable default, by which it tells what changed."""
    data = admin_form_data(article)
    data["initial-published_on"] = data["published_on"]
    data["initial-extra"] = data["extra"]
    data.update(changes)
    return data


def test_admin_save_changes_and_logs_only_what_changed(
    editor_client, django_capture_on_commit_callbacks
):
    """A form whose answer comes back with \\r\\n and a new date rewrites and logs the
    date only, and records a revision with the admin's message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article(answer="Line one.\n\nLine two.")
    data = form_data(
        article, answer="Line one.\r\n\r\nLine two.", published_on="2025-01-02", tags=""
    )
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.answer == "Line one.\n\nLine two."
    assert saved.published_on == datetime.date(2025, 1, 2)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "learn_article"')]
    assert len(updates) == 1
    assert '"published_on"' in updates[0] and '"answer"' not in updates[0]
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get().get_change_message() == "Changed Publication date."
    version = history.versions_of(article.pk).get()
    assert version.revision.get_comment() == "Changed Publication date."
    assert version.revision.origin.via == "admin"


def test_admin_save_with_no_change_writes_and_records_nothing(editor_client):
    article = make_article()
    response = editor_client.post(f"{ARTICLES}{article.pk}/change/", form_data(article))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).updated_at == article.updated_at
    assert not Revision.objects.exists()


def test_history_page_lists_revisions_and_links_compare_and_restore(editor_client):
    article, first = restore_setup()
    html = editor_client.get(f"{ARTICLES}{article.pk}/history/").content.decode()
    newest = history.versions_of(article.pk).first()
    assert html.count('name="old"') == 2
    assert f"?old={first.pk}&amp;new={newest.pk}" in html
    assert f"{ARTICLES}{article.pk}/history/{first.pk}/restore/" in html
    assert "Admin" in html


def test_compare_page_shows_the_answer_diff(editor_client):
    article, first = restore_setup()
    newest = history.versions_of(article.pk).first()
    response = editor_client.get(
        f"{ARTICLES}{article.pk}/history/compare/", {"old": newest.pk, "new": first.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Old answer." in html and "New answer." in html
    assert 'class="replace"' in html
    # Another article's version is not this article's to compare.
    other = make_article(slug="other")
    history.record([other.pk], via="admin")
    foreign = history.versions_of(other.pk).get()
    response = editor_client.get(
        f"{ARTICLES}{article.pk}/history/compare/", {"old": foreign.pk, "new": first.pk}
    )
    assert response.status_code == 404


def test_restore_in_one_click(editor_client):
    article, first = restore_setup()
    url = f"{ARTICLES}{article.pk}/history/{first.pk}/restore/"
    assert editor_client.get(url).status_code == 405
    response = editor_client.post(url, follow=True)
    assert Article.objects.get(pk=article.pk).answer == "Old answer."
    assert "the restore is the newest revision" in response.content.decode()


def test_restore_refused_is_said_on_the_history_page(editor_client):
    article, first = restore_setup()
    make_article(slug="what-is-a-test", question="Someone else")
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/history/{first.pk}/restore/", follow=True
    )
    assert "Not restored: Another article now has" in response.content.decode()


def test_viewers_see_history_but_cannot_restore(client, django_user_model):
    article, first = restore_setup()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get(f"{ARTICLES}{article.pk}/history/").status_code == 200
    response = client.post(f"{ARTICLES}{article.pk}/history/{first.pk}/restore/")
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).answer == "New answer."


def test_a_save_over_a_newer_save_is_refused_and_loses_nothing(client, editor, django_user_model):
    """Two editors open the article; the second to save is shown the first one's change,
    keeps their own text in the form, and may then save over it knowingly."""
    from django.contrib.auth.models import Group

    ana = django_user_model.objects.create_user("ana", is_staff=True)
    ana.groups.add(Group.objects.get(name="Editors"))
    article = make_article(answer="Start.")
    history.record([article.pk], via="import")
    url = f"{ARTICLES}{article.pk}/change/"
    client.force_login(editor)
    seen = client.get(url).context["adminform"].form["seen_revision"].value()
    assert seen == history.latest_version_id(article.pk)

    from django.test import Client

    other = Client()
    other.force_login(ana)
    assert (
        other.post(url, form_data(article, answer="Ana's answer.", seen_revision=seen)).status_code
        == 302
    )

    response = client.post(url, form_data(article, answer="My answer.", seen_revision=seen))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this article after you opened it" in html
    assert "My answer." in html  # the editor's text, still in the form
    assert "Ana&#x27;s answer." in html  # their change, in the diff
    assert Article.objects.get(pk=article.pk).answer == "Ana's answer."
    newest = history.latest_version_id(article.pk)
    assert response.context["adminform"].form["seen_revision"].value() == newest

    again = client.post(url, form_data(article, answer="My answer.", seen_revision=newest))
    assert again.status_code == 302
    assert Article.objects.get(pk=article.pk).answer == "My answer."


def test_an_import_after_the_form_was_opened_is_a_conflict_too(editor_client):
    import_texts([article_text(slug="a", answer="Imported.")])
    article = Article.objects.get(slug="a")
    url = f"{ARTICLES}{article.pk}/change/"
    seen = editor_client.get(url).context["adminform"].form["seen_revision"].value()
    import_texts([article_text(slug="a", answer="Imported again.")])
    response = editor_client.post(url, form_data(article, answer="Mine.", seen_revision=seen))
    assert response.status_code == 200
    assert "Imported again." in response.content.decode()
    assert ImportRun.objects.count() == 2


def test_a_save_over_the_first_revision_of_an_article_without_history_is_refused(
    editor_client,
):
    """An article with no revisions when the form opened: the first one recorded since
    (here an editorial action) is a newer save, shown against nothing."""
    article = make_article(answer="Old.")
    url = f"{ARTICLES}{article.pk}/change/"
    assert editor_client.get(url).context["adminform"].form["seen_revision"].value() is None
    editorial.articles_unpublish(Article.objects.all())
    response = editor_client.post(url, form_data(article, answer="Mine.", seen_revision=""))
    assert response.status_code == 200
    assert response.context["conflict"].old is history.EMPTY
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_adding_an_article_in_the_admin_records_its_first_revision(editor_client):
    subject = make_subject()
    unsaved = Article(
        subject=subject, slug="new", question="New?", title="New?", answer="An answer."
    )
    data = form_data(unsaved)
    data.pop("seen_revision")
    response = editor_client.post(f"{ARTICLES}add/", data)
    assert response.status_code == 302
    article = Article.objects.get(slug="new")
    version = history.versions_of(article.pk).get()
    assert version.revision.get_comment() == "Added."
    assert history.snapshot(version).fields["answer"] == "An answer."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_previewing_an_existing_article_outside_a_transaction(client, editor):
    """The preview validates the form (the revision check included) in no transaction
    of its own."""
    article = make_article()
    client.force_login(editor)
    response = client.post(f"{ARTICLES}{article.pk}/preview/", form_data(article))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "suffix", ["history/", "history/compare/?old=1&new=2", "history/1/restore/"]
)
def test_history_pages_of_no_article_are_404(editor_client, suffix):
    for article_id in ("999", "not-a-number"):
        url = f"{ARTICLES}{article_id}/{suffix}"
        response = (editor_client.post if "restore" in suffix else editor_client.get)(url)
        assert response.status_code == 404


def test_a_preview_over_a_newer_save_still_shows_the_form_as_it_is(editor_client):
    """A preview saves nothing, so a newer save by someone else refuses nothing there
    (and locks nothing): the unsaved form is shown; saving it is what is refused."""
    import_texts([article_text(slug="a", answer="Imported.")])
    article = Article.objects.get(slug="a")
    url = f"{ARTICLES}{article.pk}/change/"
    seen = editor_client.get(url).context["adminform"].form["seen_revision"].value()
    import_texts([article_text(slug="a", answer="Imported again.")])
    data = form_data(article, answer="Mine, unsaved.", seen_revision=seen)
    preview = editor_client.post(f"{ARTICLES}{article.pk}/preview/", data)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Mine, unsaved." in html and "Someone else saved" not in html
    assert "Someone else saved" in editor_client.post(url, data).content.decode()
