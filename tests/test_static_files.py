"""Static files in production: hashed names, served compressed and cached for good."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from quicktakes import settings as production_settings

# collectstatic compresses every file with gzip and Brotli: seconds, once per module.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Settings as in production (DEBUG off, the project's static storage), after one
    collectstatic."""
    root = tmp_path_factory.mktemp("static")
    production = override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": production_settings.STORAGES["staticfiles"],
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    with production:
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_stylesheet_is_hashed_compressed_and_immutable(collected):
    """The page links a content-hashed CSS file, served as brotli and cached for ten years."""
    client = Client()
    html = client.get("/").content.decode()
    match = re.search(
        r'<link rel="stylesheet" href="/static/(css/site\.[0-9a-f]{12}\.css)">', html
    )
    assert match, "the stylesheet URL is not hashed"
    name = match[1]
    assert (collected / f"{name}.gz").is_file()
    assert (collected / f"{name}.br").is_file()

    response = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]

    gzipped = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_a_names_url_is_the_manifests_and_worked_out_once(collected, monkeypatch):
    """The project's storage gives whitenoise's hashed URL, and asks the manifest for a
    name once: a page's {% static %} URLs are looked up on the first page only."""
    from django.core.files.storage import storages
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from quicktakes.storage import StaticFilesStorage

    with override_settings(DEBUG=False):
        storage = StaticFilesStorage(location=collected)
        expected = CompressedManifestStaticFilesStorage(location=collected).url("css/site.css")
        assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", expected)
        asked = []
        stored_name = storage.stored_name
        monkeypatch.setattr(
            storage, "stored_name", lambda name: asked.append(name) or stored_name(name)
        )
        assert storage.url("css/site.css") == expected
        assert storage.url("css/site.css") == expected
        assert asked == ["css/site.css"]
        # A forced URL bypasses what is kept.
        assert storage.url("css/site.css", force=True) == expected
        assert asked == ["css/site.css", "css/site.css"]
        assert isinstance(storages["staticfiles"], StaticFilesStorage)


def test_unhashed_names_are_not_cached_for_good(collected):
    """The original file name may change content, so it gets only a short cache."""
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
