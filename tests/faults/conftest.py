"""The fault suite (`make faults`): real processes killed, a real database server stopped.

Not part of `make test`: pytest does not recurse into this folder (norecursedirs), and
`make faults` names it. Each server and process it starts it also stops, and the private
PostgreSQL cluster it makes (never the machine's own on 5432) is dropped even on failure.
"""

import pytest

from tests.faults.harness import Cluster, Site


@pytest.fixture(scope="session")
def cluster():
    """The private cluster, up; dropped at the end of the session, whatever happened."""
    made = Cluster()
    try:
        made.create()
        yield made
    finally:
        made.drop()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database(request, tmp_path_factory):
    """A factory of empty, migrated databases of one kind: ``database(name)`` → Site."""

    def make(name: str) -> Site:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('faults') / f'{name}.sqlite3'}"
        else:
            url = request.getfixturevalue("cluster").createdb(name)
        site = Site(url)
        migrated = site.manage("migrate", "--no-input", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        return site

    make.kind = request.param
    return make
