"""Reader queries built by the ORM once per process, then run with each request's values.

Building and compiling a queryset costs the article page more than running it: of one
neighbour's query on SQLite, 0.27 ms to build the filters, 0.29 ms to compile them, and
0.03 ms in the database (``bench``-style loop of 1,000, 3,000 articles). The page ran
six such queries after the article's own. A :class:`Statement` keeps the rules where
they are (the queryset is written with the same ``published_q``, the same lookups) and
compiles it once per database: it is built with stand-in values for its *slots* (the
article, the day, the moment now), each slot's parameters are found by building it again
with that slot alone changed, and a run substitutes the request's values there, adapted
as the slot's model field adapts them, before the database's own converters read the
rows back (those ``SQLCompiler.results_iter`` applies for ``values_list()``, looked up
once).

Only a query whose SQL does not change with its values can be a statement (no
``__in`` of a list, no slice bound to a value); preparing one whose SQL changes, or whose
slot the lookups transform (``__contains`` would wrap it in ``%``), raises at once.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, QuerySet

# Two stand-ins of each kind of value a slot holds: values no real row or request has,
# so that a parameter equal to one is that slot's. The integers are within a 32-bit
# column's range: outside it, Django compiles a lookup on PostgreSQL's integer to nothing
# (EmptyResultSet).
_STAND_INS = {
    int: (2_047_483_641, 2_047_483_642),
    datetime.date: (datetime.date(1901, 2, 3), datetime.date(1901, 2, 4)),
    datetime.time: (datetime.time(1, 2, 3, 4), datetime.time(1, 2, 3, 5)),
    str: ("\x01stand-in-1", "\x01stand-in-2"),
}
_KINDS = {
    "AutoField": int,
    "BigAutoField": int,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "ForeignKey": int,
    "DateField": datetime.date,
    "TimeField": datetime.time,
    "CharField": str,
    "SlugField": str,
}


class StatementError(Exception):
    pass


class Statement:
    """A ``values_list()`` queryset compiled once per database, run with new values.

    ``build(**values)`` returns the queryset for the values of the ``slots`` (name: the
    model field each value is compared with, which says how to adapt it).
    """

    def __init__(self, build: Callable[..., QuerySet], **slots: Field):
        self.build = build
        self.slots = slots
        self._compiled = {}

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[tuple]:
        if values.keys() != self.slots.keys():
            raise TypeError(f"values for {sorted(self.slots)} needed, got {sorted(values)}")
        sql, params, positions, compiler, converters = self._prepared(using)
        connection = connections[using]
        params = list(params)
        for name, value in values.items():
            adapted = self.slots[name].get_db_prep_value(value, connection, prepared=False)
            for position in positions[name]:
                params[position] = adapted
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not converters:
            return fetched
        return [tuple(row) for row in compiler.apply_converters(fetched, converters)]

    def _prepared(self, using):
        # Keyed by the connection's settings too: a test database replaces the
        # default's, and another vendor compiles other SQL.
        connection = connections[using]
        key = (using, connection.vendor, connection.settings_dict["NAME"])
        if (prepared := self._compiled.get(key)) is None:
            prepared = self._compiled[key] = self._prepare(using)
        return prepared

    def _prepare(self, using):
        connection = connections[using]
        firsts, seconds = {}, {}
        for name, field in self.slots.items():
            kind = _KINDS.get(field.get_internal_type())
            if kind is None:
                raise StatementError(f"slot {name}: no stand-ins for {field!r}")
            firsts[name], seconds[name] = _STAND_INS[kind]
        compiler = self.build(**firsts).query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet as error:
            raise StatementError("the query compiles to nothing with its stand-ins") from error
        positions = {}
        for name, field in self.slots.items():
            other_sql, other_params = (
                self.build(**{**firsts, name: seconds[name]}).query.get_compiler(using).as_sql()
            )
            if other_sql != sql:
                raise StatementError(f"slot {name}: the SQL changes with its value")
            pairs = enumerate(zip(params, other_params, strict=True))
            found = [i for i, (first, second) in pairs if first != second]
            adapted = field.get_db_prep_value(firsts[name], connection, prepared=False)
            if not found or any(params[i] != adapted for i in found):
                raise StatementError(f"slot {name}: not a parameter compared with {field!r}")
            positions[name] = found
        # The columns' converters, as results_iter() would look them up for every run.
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise StatementError("composite fields are not supported")
        return sql, tuple(params), positions, compiler, compiler.get_converters(fields)
