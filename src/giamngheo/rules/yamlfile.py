"""Reading the project's YAML parameter files strictly: every mapping remembers the file and
line of each of its keys, so that a refusal names file, line and key; a key written twice in
a mapping is refused (YAML would keep the last one silently), and so is a ``verified`` mark
that is not a YAML boolean (``verified: "false"`` is a string, which Python takes as true)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file, the line and the key."""


class Mapping(dict[Any, Any]):
    """A YAML mapping with the place of each key: ``where(key)`` is ``"file line N"``."""

    def __init__(self, *args: Any, origin: dict[Any, str] | None = None, start: str = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origin: dict[Any, str] = dict(origin or {})
        self.start = start

    def where(self, key: Any = None) -> str:
        return self.origin.get(key, self.start) if key is not None else self.start

    def error(self, key: Any, path: str, message: str) -> ParameterError:
        """A refusal of ``key`` of this mapping, which the file reaches by ``path``."""
        name = f"{path}.{key}" if path else str(key)
        return ParameterError(f"{self.where(key)}: {name}: {message}")

    def merged(self, other: Mapping) -> Mapping:
        """This mapping with ``other``'s keys replacing or adding to its own."""
        out = Mapping(self, origin=self.origin, start=self.start)
        for key, value in other.items():
            out[key] = value
            out.origin[key] = other.where(key)
        return out

    def without(self, *keys: Any) -> Mapping:
        out = Mapping({k: v for k, v in self.items() if k not in keys}, origin=self.origin,
                      start=self.start)
        return out

    def __deepcopy__(self, memo: dict[int, Any]) -> Mapping:
        import copy

        return Mapping({copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()},
                       origin=self.origin, start=self.start)


def _place(name: str, mark: yaml.Mark) -> str:
    return f"{name} line {mark.line + 1}"


class _Loader(yaml.SafeLoader):
    file_name = ""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        self.flatten_mapping(node)
        mapping = Mapping(start=_place(self.file_name, node.start_mark))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            place = _place(self.file_name, key_node.start_mark)
            if key in mapping:
                raise ParameterError(f"{place}: key {key!r} appears twice in this mapping "
                                     f"(first at {mapping.where(key)})")
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.origin[key] = place
        return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                        _Loader.construct_mapping)


def parse_yaml(text: str, name: str) -> Any:
    """The data of a YAML text, every mapping a :class:`Mapping`; ``name`` names the file."""
    loader = _Loader(text)
    loader.file_name = name
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ParameterError(f"{name}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    _check_marks(data, "")
    return data


def read_yaml(path: Path) -> Any:
    """The data of a YAML file (see :func:`parse_yaml`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"{path.name}: cannot read: {exc.strerror or exc}") from None
    return parse_yaml(text, path.name)


def _check_marks(node: Any, path: str) -> None:
    """Every ``verified`` is a YAML boolean, wherever it is."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            inner = f"{path}.{key}" if path else str(key)
            if key == "verified" and not isinstance(value, bool):
                raise node.error(key, path, f"{value!r} is not true or false (write it without "
                                            "quotes)")
            _check_marks(value, inner)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _check_marks(item, f"{path}[{i}]")
