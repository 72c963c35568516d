"""Search on PostgreSQL: the vector's term rules are the model's state, so the migrations
must keep up with them."""

from io import StringIO

import pytest
from django.contrib.postgres.search import SearchVectorField
from django.core.management import call_command
from django.db import models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader

from learn.search.postgres import ArticleSearchVector
from learn.search.terms import TERMS


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    """No model change, the term rules of the vector included, lacks its migration."""
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_a_change_of_the_term_rules_is_a_change_of_the_model():
    """Other rules in the vector are a change that makemigrations writes a migration for."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    before = loader.project_state()
    after = before.clone()
    after.models["learn", "article"].fields["search_vector"] = models.GeneratedField(
        expression=ArticleSearchVector(terms=(*TERMS, ("Go#", "gosharp"))),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    changes = MigrationAutodetector(before, after).changes(graph=loader.graph)
    (migration,) = changes["learn"]
    assert [(type(op).__name__, op.name) for op in migration.operations] == [
        ("AlterField", "search_vector")
    ]
