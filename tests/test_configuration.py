"""Settings from the environment, and the development .env that make run writes for manage.py."""

import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

SHOW_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.SECRET_KEY, ','.join(settings.ALLOWED_HOSTS))"
)
# What a newcomer's shell has: none of the project's variables.
PROJECT_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "PROXIES_IN_FRONT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "DJANGO_SETTINGS_MODULE",
    # Set in this process by the browser tests' conftest; check --deploy refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_environment(**variables):
    env = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    return {**env, "PYTHONPATH": str(REPO), **variables}


def settings_in_a_new_process(**variables):
    """The production settings module as a fresh process reads them, or its error."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import quicktakes.settings as s; "
            "print(s.DEBUG, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))",
        ],
        env=clean_environment(**variables),
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    """With DEBUG off and no SECRET_KEY (no .env is read outside manage.py) nothing starts."""
    process = settings_in_a_new_process()
    assert process.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY" in process.stderr

    assert settings_in_a_new_process(SECRET_KEY="a-real-key").returncode == 0


@pytest.mark.parametrize(
    ("variables", "header"),
    [
        ({}, "None"),
        ({"SECURE_PROXY_SSL_HEADER": "0"}, "None"),
        ({"SECURE_PROXY_SSL_HEADER": "1"}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ],
)
def test_x_forwarded_proto_is_trusted_only_when_the_environment_says_a_proxy_sets_it(
    variables, header
):
    """In production a client's own X-Forwarded-Proto is not taken for HTTPS by default."""
    process = settings_in_a_new_process(SECRET_KEY="a-real-key", **variables)
    assert process.returncode == 0, process.stderr
    assert process.stdout.split(maxsplit=1) == ["False", header + "\n"]


@pytest.fixture
def project(tmp_path):
    """A project folder with manage.py, its .env written as make run writes it."""
    shutil.copy(REPO / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        ["make", "--silent", "-f", str(REPO / "Makefile"), "-C", str(tmp_path), ".env"],
        check=True,
        capture_output=True,
    )
    return tmp_path


def manage(project, *args, **variables):
    return subprocess.run(
        [sys.executable, str(project / "manage.py"), *args],
        env=clean_environment(**variables),
        cwd=project,
        capture_output=True,
        text=True,
    )


def test_make_writes_a_development_env_once(project):
    """The .env has DEBUG on and a generated key, private to its owner; a second make keeps it."""
    env_file = project / ".env"
    text = env_file.read_text()
    key = next(line for line in text.splitlines() if line.startswith("SECRET_KEY="))
    assert "\nDEBUG=1\n" in text
    assert len(key.removeprefix("SECRET_KEY=")) >= 50
    assert env_file.stat().st_mode & 0o077 == 0

    subprocess.run(["make", "--silent", "-f", str(REPO / "Makefile"), "-C", str(project), ".env"])
    assert env_file.read_text() == text


def test_manage_py_reads_the_env_file_in_any_terminal(project):
    """A command run from a new shell gets .env's settings, not ImproperlyConfigured."""
    key = (project / ".env").read_text().split("SECRET_KEY=")[1].strip()

    process = manage(project, "shell", "--no-imports", "-c", SHOW_SETTINGS)

    assert process.returncode == 0, process.stderr
    assert process.stdout.split() == ["True", key, "localhost,127.0.0.1,[::1]"]


def test_the_environment_wins_over_the_env_file(project):
    """A variable already set in the environment is never overridden by .env."""
    process = manage(
        project,
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        SECRET_KEY="from-the-shell",
        ALLOWED_HOSTS="x.test",
    )

    assert process.returncode == 0, process.stderr
    assert process.stdout.split() == ["True", "from-the-shell", "x.test"]


def test_manage_py_without_an_env_file_is_production(tmp_path):
    """Without .env manage.py refuses to start with no key, as production must."""
    shutil.copy(REPO / "manage.py", tmp_path / "manage.py")

    process = manage(tmp_path, "shell", "--no-imports", "-c", SHOW_SETTINGS)

    assert process.returncode != 0
    assert "Set SECRET_KEY" in process.stderr


def readme_https_settings():
    """The variables of the README's production HTTPS settings, with a real key."""
    readme = (REPO / "README.md").read_text()
    block = re.search(r"check --deploy` report no issues.*?```sh\n(.*?)```", readme, re.S)
    variables = {}
    for line in block[1].splitlines():
        name, value = line.split("#")[0].strip().split("=", 1)
        variables[name] = value
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def test_the_readmes_https_settings_pass_check_deploy(tmp_path):
    """Django's deployment checks find nothing to warn about in the README's settings."""
    shutil.copy(REPO / "manage.py", tmp_path / "manage.py")
    variables = readme_https_settings()
    assert variables.keys() >= {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}

    # Some model checks ask the database for its version: a throwaway one, whichever the
    # suite runs on.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    process = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATABASE_URL=database,
        **variables,
    )

    assert process.returncode == 0, process.stderr
    assert "System check identified no issues" in process.stdout


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_wrong_proxy_count_stops_the_start(value):
    """PROXIES_IN_FRONT is a count of proxies: anything else is refused with its name."""
    process = settings_in_a_new_process(SECRET_KEY="a-real-key", PROXIES_IN_FRONT=value)
    assert process.returncode != 0
    assert "PROXIES_IN_FRONT" in process.stderr


@pytest.mark.django_db
def test_postgresql_sessions_compile_no_jit():
    """On PostgreSQL every session runs with JIT off (a common word's search spent 18 ms
    compiling at 1M articles); SQLite has no such option and gets none."""
    from django.db import connection

    show = "import quicktakes.settings as s; print(s.DATABASES['default'].get('OPTIONS'))"

    def options(url):
        process = subprocess.run(
            [sys.executable, "-c", show],
            env=clean_environment(SECRET_KEY="k", DATABASE_URL=url),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return process.stdout.strip()

    assert options("postgres://postgres@127.0.0.1:5432/test") == "{'options': '-c jit=off'}"
    assert "jit" not in options("sqlite:///db.sqlite3")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
