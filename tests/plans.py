"""The plan a database would run a query with, for the tests that say which index a
query reads."""

from django.db import connection

# What the planner of a near-empty table prefers to an index read in order.
SMALL_TABLE_METHODS = ("seqscan", "bitmapscan", "sort")


def query_plan(sql, params=(), *, avoid=SMALL_TABLE_METHODS) -> str:
    """The plan of ``sql``, one string: PostgreSQL's EXPLAIN with the plan methods of
    ``avoid`` turned off for the rest of the test's transaction, SQLite's EXPLAIN QUERY
    PLAN. Statistics a test gives the planner are ANALYZEd before."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for method in avoid:
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def plan_steps(sql, params=None, *, avoid=SMALL_TABLE_METHODS) -> list[str]:
    """The steps of ``sql``'s plan, one a line of EXPLAIN (PostgreSQL, with the plan
    methods of ``avoid`` turned off as for query_plan) or of EXPLAIN QUERY PLAN (SQLite).
    Without ``params``, ``sql`` is taken as it is (captured SQL, its values in it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for method in avoid:
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return [row[0].strip(" ->") for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[3] for row in cursor.fetchall()]
