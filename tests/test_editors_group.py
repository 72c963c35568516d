"""The Editors group (migration 0003): all of the editorial admin, nothing about accounts."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from learn.models import Article, ImportRun
from tests.conftest import article_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_group_has_exactly_the_editorial_permissions():
    """Editors may manage articles, subjects, links, redirects and topics, and import."""
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    crud = {"add", "change", "delete", "view"}
    expected = {
        *(
            ("learn", f"{a}_{m}")
            for m in ("article", "subject", "relatedlink", "redirect")
            for a in crud
        ),
        ("learn", "add_importrun"),
        ("learn", "view_importrun"),
        *(("taggit", f"{a}_{m}") for m in ("tag", "taggeditem") for a in crud),
    }
    assert codenames == expected


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/learn/article/",
        "/admin/learn/article/add/",
        "/admin/learn/subject/",
        "/admin/learn/redirect/",
        "/admin/learn/importrun/",
        "/admin/learn/importrun/add/",
        "/admin/taggit/tag/",
    ],
)
def test_editor_can_open_the_editorial_pages(editor_client, url):
    """Every editorial page opens for an editor."""
    assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/auth/group/add/",
    ],
)
def test_editor_cannot_manage_users_or_groups(editor_client, url):
    """Users, groups and permissions are out of an editor's reach."""
    assert editor_client.get(url).status_code == 403


def test_editor_cannot_change_or_delete_import_records(editor_client):
    """Import runs are a record: an editor can read them, not rewrite them."""
    run = ImportRun.objects.create(origin="command", source="x", status="applied")
    assert editor_client.get(f"/admin/learn/importrun/{run.pk}/change/").status_code == 200
    assert editor_client.post(f"/admin/learn/importrun/{run.pk}/delete/").status_code == 403


def test_editor_changes_publishes_and_imports(editor_client):
    """An editor can unpublish and publish an article and import an upload end to end."""
    article = make_article()
    editor_client.post(
        "/admin/learn/article/", {"action": "unpublish", "_selected_action": [article.pk]}
    )
    assert Article.objects.get().status == "draft"
    upload = SimpleUploadedFile("b.md", article_text(slug="b").encode())
    editor_client.post("/admin/learn/importrun/add/", {"files": upload})
    run = ImportRun.objects.get()
    editor_client.post(f"/admin/learn/importrun/{run.pk}/confirm/", {"apply": "1"})
    assert Article.objects.filter(slug="b").exists()


def test_staff_without_the_group_cannot_edit(client, django_user_model):
    """Being staff alone gives no editorial rights."""
    client.force_login(django_user_model.objects.create_user("s", is_staff=True))
    assert client.get("/admin/learn/article/").status_code == 403
    assert client.get("/admin/learn/importrun/add/").status_code == 403


def test_editor_sees_history_compares_and_restores(editor_client):
    """History, its diffs and restoring need only the group's article permissions
    (view to read, change to restore): revisions are no model editors manage."""
    from learn import history

    article = make_article(answer="First.")
    history.record([article.pk], via="admin")
    Article.objects.filter(pk=article.pk).update(answer="Second.")
    history.record([article.pk], via="admin")
    first, newest = history.versions_of(article.pk).order_by("pk")
    base = f"/admin/learn/article/{article.pk}/history/"
    assert editor_client.get(base).status_code == 200
    compare = editor_client.get(f"{base}compare/", {"old": first.pk, "new": newest.pk})
    assert compare.status_code == 200
    assert editor_client.post(f"{base}{first.pk}/restore/").status_code == 302
    assert Article.objects.get(pk=article.pk).answer == "First."
