"""Old reader URLs redirect permanently, and only when nothing lives there now."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from learn.models import Redirect, Subject
from tests.factories import make_article

pytestmark = pytest.mark.django_db

OLD = "/learn/computer-science/questions/old-slug"


@pytest.fixture
def article():
    article = make_article()
    Redirect.objects.create(old_path=OLD, article=article)
    return article


def test_old_url_redirects_permanently_keeping_the_query(client, article):
    """A 404 at an old path becomes a 301 to the article, with the query string."""
    response = client.get(OLD, {"ref": "x"})
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url() + "?ref=x"


def test_slashed_old_url_reaches_the_article(client, article):
    """The slashed form of an old URL redirects on to the article."""
    response = client.get(OLD + "/", follow=True)
    assert response.redirect_chain[-1] == (article.get_absolute_url(), 301)
    assert response.status_code == 200


def test_live_page_wins_over_a_redirect(client, article):
    """A redirect is only consulted when the page is not found."""
    Redirect.objects.filter(old_path=OLD).update(old_path=article.get_absolute_url())
    assert client.get(article.get_absolute_url()).status_code == 200


def test_old_subject_list_redirects_with_its_page(client):
    """A subject's old list URL, paginated or not, goes to its list now."""
    subject = Subject.objects.create(name="Biology", slug="biology")
    Redirect.objects.create(old_path="/learn/bio/questions/", subject=subject)
    response = client.get("/learn/bio/questions/", {"page": "2"})
    assert response["Location"] == "/learn/biology/questions/?page=2"


def test_other_404s_stay_404(client):
    """Paths with no redirect, and paths outside /learn/, are still not found."""
    assert client.get("/learn/x/questions/y").status_code == 404
    assert client.get("/nothing").status_code == 404


def test_the_middleware_does_not_load_the_importer():
    """A 404's redirect lookup imports neither the importer, the upload code nor YAML."""
    # The admin's autodiscovery, which loads every admin module, is left out: what is
    # loaded then is what the middleware itself imports.
    code = textwrap.dedent(
        """
        import sys
        import django
        from django.conf import settings
        from tests import settings as project

        names = {name: value for name, value in vars(project).items() if name.isupper()}
        names["INSTALLED_APPS"] = [
            "django.contrib.admin.apps.SimpleAdminConfig" if app == "django.contrib.admin" else app
            for app in project.INSTALLED_APPS
        ]
        settings.configure(**names)
        django.setup()
        import learn.middleware
        heavy = {"learn.importer", "learn.import_runs", "learn.uploads", "yaml"}
        print(sorted(heavy & set(sys.modules)))
        """
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[]"
