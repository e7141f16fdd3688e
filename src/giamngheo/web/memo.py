"""Per-process caches of what the report pages work out again and again from the same stored
records (the figures added up for an area, the files and tables written from them), each
keyed on everything its value depends on, so that a change of any input is a new key: never a
stale page, and no invalidation to forget. Bounded (least recently used goes first), local to
the process (each worker fills its own): no service to run.

``fingerprint`` is the key of a value computed from data: its exact text, so that two keys
are equal only when everything they are made of is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise

_MEMOS: list[Memo] = []


class Memo:
    """A bounded mapping, least recently used first out, safe between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._found: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: Any) -> Any:
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._found.get(key)
            if value is not None:
                self._found.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._found[key] = value
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)

    def get_or_make(self, key: Any, make: Callable[[], Any]) -> Any:
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._found.clear()


def clear() -> None:
    """Empty every cache of the process (a test's fresh start, a measure of a first request)."""
    for memo in _MEMOS:
        memo.clear()


# written as they are (repr), type included: 1, 1.0 and True are different cells
_PLAIN = frozenset({str, int, float, bool, type(None)})


def fingerprint(value: Any) -> str:
    """The exact text of ``value``: strings, numbers, dates, lazy translations (as they read
    in the active language), lists, tuples, dicts, dataclasses and model instances (their
    model and the values of their own fields), through any nesting. Anything else is an
    error, never a guess (an object's default text may be only its address)."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def _write(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
    elif kind is list or kind is tuple:
        if all(type(item) in _PLAIN for item in value):  # a table's row: at once
            out.append(repr(value))
        else:
            out.append("[" if kind is list else "(")
            for item in value:
                _write(item, out)
                out.append(",")
            out.append("]" if kind is list else ")")
    elif kind is dict:
        out.append("{")
        for key, item in value.items():
            _write(key, out)
            out.append(":")
            _write(item, out)
            out.append(",")
        out.append("}")
    elif isinstance(value, Promise):  # a lazy translation: its text now
        out.append(f"lazy{str(value)!r}")
    elif isinstance(value, (str, int, float, Decimal, dt.date, dt.time)):
        # str subclasses (SafeString), enums, decimals, dates: their type and value
        out.append(f"{kind.__module__}.{kind.__qualname__}({value!r})")
    elif isinstance(value, dict):
        out.append(f"{kind.__qualname__}")
        _write(dict(value), out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{kind.__module__}.{kind.__qualname__}(")
        for field in dataclasses.fields(value):
            _write(getattr(value, field.name), out)
            out.append(",")
        out.append(")")
    elif isinstance(value, models.Model):
        out.append(f"<{value._meta.label}:")
        _write([getattr(value, f.attname) for f in value._meta.concrete_fields], out)
        out.append(">")
    else:
        raise TypeError(f"no fingerprint for a {kind.__qualname__}")
