"""Writing many rows fast, history included: COPY on PostgreSQL, one executemany on SQLite.

Django's bulk_create and simple-history's bulk helpers spend most of their time building SQL
per row and field; an import of 50,000 households with 175,000 members and their history rows
needs plain parameterised statements. Values are prepared by the fields themselves
(``get_db_prep_save``), so they are stored exactly as the ORM would store them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Max
from django.utils import timezone

Row = Sequence[object]


def insert_rows(model, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Insert raw rows: COPY on PostgreSQL, one executemany elsewhere."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def reserve_ids(model, count: int) -> list[int]:
    """``count`` primary keys for new rows: from the sequence on PostgreSQL; on SQLite, after
    the largest (the write transaction holds the database)."""
    if count == 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [model._meta.db_table, count])
            return [row[0] for row in cursor.fetchall()]
    first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return list(range(first, first + count))


def _prepared(obj, fields) -> list[object]:
    return [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]


def _history_rows(model, objects, kind: str, user, reason: str):
    history = model.history.model
    tracked = {f.name for f in model._meta.concrete_fields}
    fields = [f for f in history._meta.concrete_fields if f.name in tracked]
    columns = [f.column for f in fields] + ["history_date", "history_change_reason",
                                            "history_type", "history_user_id"]
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    return history, columns, (_prepared(o, fields) + [now, reason, kind, user_id]
                              for o in objects)


def insert_objects(model, objects: list, user=None, reason: str = "") -> None:
    """Insert new instances (their ``pk`` set, see ``reserve_ids``) and their "+" history."""
    fields = list(model._meta.concrete_fields)
    for obj in objects:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, timezone.now())
    insert_rows(model, [f.column for f in fields], (_prepared(o, fields) for o in objects))
    if hasattr(model, "history"):
        insert_rows(*_history_rows(model, objects, "+", user, reason))


def update_objects(model, objects: list, names: Sequence[str], user=None,
                   reason: str = "") -> None:
    """Update ``names`` of existing instances with one parameterised UPDATE run for all rows,
    and write their "~" history."""
    if not objects:
        return
    fields = [model._meta.get_field(n) for n in names]
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) and f not in fields:
            fields.append(f)
            for obj in objects:
                setattr(obj, f.attname, timezone.now())
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET "
           + ", ".join(f"{quote(f.column)} = %s" for f in fields)
           + f" WHERE {quote(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_prepared(o, fields) + [o.pk] for o in objects])
    if hasattr(model, "history"):
        insert_rows(*_history_rows(model, objects, "~", user, reason))
