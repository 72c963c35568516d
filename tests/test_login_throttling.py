"""Admin logins are locked out after five failures of one username from one address,
until the cooling-off time passes or an admin lifts the lockout."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from quicktakes.settings import client_address_settings

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def ana(django_user_model):
    return django_user_model.objects.create_user("ana", password="right-pass", is_staff=True)


def log_in(password, *, username="ana", address="203.0.113.5"):
    """A fresh browser's login form sent from ``address``; the response."""
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def fail(times, **kwargs):
    """``times`` wrong passwords; the answers' statuses."""
    return [log_in("wrong", **kwargs).status_code for _ in range(times)]


def test_the_right_password_is_refused_after_five_failures(ana):
    """Five wrong passwords (the fifth locks out), then the right one: refused with 429."""
    assert fail(5) == [200, 200, 200, 200, 429]
    response = log_in("right-pass")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    assert "Content-Security-Policy" in response


def test_four_failures_then_the_right_password_logs_in(ana):
    """Under the limit a login works, and clears the count."""
    fail(4)
    assert log_in("right-pass").status_code == 302
    fail(4)
    assert log_in("right-pass").status_code == 302


def test_the_lockout_is_per_username_and_address(ana, django_user_model):
    """Another address, or another username from the same address, may still log in."""
    django_user_model.objects.create_user("bo", password="bo-pass", is_staff=True)
    fail(5)
    assert log_in("right-pass", address="198.51.100.7").status_code == 302
    assert log_in("bo-pass", username="bo").status_code == 302


def test_the_lockout_ends_after_the_cooling_off_time(ana):
    """Thirty minutes after the last failure the right password works again."""
    fail(5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert log_in("right-pass").status_code == 302


def test_the_management_command_lifts_a_lockout(ana):
    """manage.py axes_reset_username ana: the right password works at once."""
    fail(5)
    call_command("axes_reset_username", "ana", stdout=io.StringIO())
    assert log_in("right-pass").status_code == 302


def test_an_admin_lifts_a_lockout_in_the_admin(ana, admin_client):
    """Deleting the access attempt in the admin unlocks the username at that address."""
    fail(5)
    attempt = AccessAttempt.objects.get(username="ana")
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert b"ana" in page.content

    admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert log_in("right-pass").status_code == 302


def test_editors_cannot_see_or_lift_lockouts(editor_client):
    """Lockouts are for whoever manages accounts: the Editors group has no axes permission."""
    editors = Group.objects.get(name="Editors")
    assert not editors.permissions.filter(content_type__app_label="axes").exists()
    assert Permission.objects.filter(content_type__app_label="axes").exists()
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403


def log_in_through(proxies, password, *, forwarded_for, proxy="127.0.0.1", **kwargs):
    """A login that reached Django through ``proxies`` (the last at ``proxy``), with the
    X-Forwarded-For they built."""
    with override_settings(**client_address_settings(proxies)):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for)
        return client.post(
            LOGIN, {"username": kwargs.get("username", "ana"), "password": password}
        )


def test_behind_varnish_the_lockout_counts_the_client_not_the_proxy(ana):
    """Behind one proxy every login comes from 127.0.0.1: five failures from one client
    lock that client out, not every editor behind the same proxy."""
    statuses = [
        log_in_through(1, "wrong", forwarded_for="203.0.113.5").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert log_in_through(1, "right-pass", forwarded_for="203.0.113.5").status_code == 429
    assert log_in_through(1, "right-pass", forwarded_for="198.51.100.7").status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lockout(ana):
    """A client that writes its own X-Forwarded-For gets the proxy's entry appended: a new
    forged address each time is still the same client."""
    for forged in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        log_in_through(1, "wrong", forwarded_for=f"{forged}, 203.0.113.5")
    assert log_in_through(1, "right-pass", forwarded_for="6.6.6.6, 203.0.113.5").status_code == 429


def test_behind_a_cdn_and_varnish_the_client_is_the_address_the_cdn_saw(ana):
    """Two proxies: the header ends with the CDN's address, after the client's."""
    fail_through_cdn = [
        log_in_through(2, "wrong", forwarded_for="203.0.113.5, 198.18.0.9").status_code
        for _ in range(5)
    ]
    assert fail_through_cdn[-1] == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_without_proxies_a_forwarded_for_header_is_ignored(ana):
    """By default REMOTE_ADDR is the client: a header any client can send counts for nothing."""
    for forged in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        log_in_through(0, "wrong", forwarded_for=forged, proxy="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert (
        log_in_through(0, "right-pass", forwarded_for="6.6.6.6", proxy="203.0.113.5").status_code
        == 429
    )
