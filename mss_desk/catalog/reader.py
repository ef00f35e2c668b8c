"""Reading one TOML file of the reference data, every value checked as it is read.

A broken file raises :class:`~mss_desk.errors.CatalogError` naming the file, the key and
the reason — never a raw traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from mss_desk.errors import CatalogError

T = TypeVar("T")


class TomlReader:
    """Typed access to one TOML file's tables, raising CatalogError with file and key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, reason: str) -> CatalogError:
        return CatalogError(self.file, where, reason)

    def get(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        kind: type[T] | tuple[type, ...],
        *,
        optional: bool = False,
        default: Any = None,
    ) -> Any:
        full = f"{where}.{key}" if where else key
        if key not in table:
            if optional:
                return default
            raise self.fail(full, "missing key")
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; never accept it where a number is wanted (and vice versa)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(full, f"expected {kind_name(kinds)}, got bool")
        if not isinstance(value, kinds):
            raise self.fail(full, f"expected {kind_name(kinds)}, got {type(value).__name__}")
        if isinstance(value, str) and not value.strip() and str in kinds:
            raise self.fail(full, "empty text")
        return value

    def text(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, str, optional=optional)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        optional: bool = False,
        default: int | None = None,
    ) -> Any:
        return self.get(table, key, where, int, optional=optional, default=default)

    def number(self, table: Mapping[str, Any], key: str, where: str) -> float:
        return float(self.get(table, key, where, (int, float)))

    def day(self, table: Mapping[str, Any], key: str, where: str) -> date:
        value = self.get(table, key, where, date)
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(f"{where}.{key}", "expected a date (YYYY-MM-DD)")
        return value

    def table(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, dict, optional=optional, default={})

    def array(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> Any:
        return self.get(table, key, where, list, optional=optional, default=[])

    def tables(
        self, table: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        items = self.array(table, key, where, optional=optional)
        out = []
        for i, item in enumerate(items):
            here = f"{where}.{key}[{i}]" if where else f"{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(here, f"expected a table, got {type(item).__name__}")
            out.append((here, item))
        return out

    def named_tables(
        self, table: Mapping[str, Any], key: str
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """``[key.name]`` tables (``[documents.application]``): (name, where, table) each."""
        out = []
        for name, item in self.table(table, key, "").items():
            where = f"{key}.{name}"
            if not isinstance(item, dict):
                raise self.fail(where, "expected a table")
            out.append((name, where, item))
        return out

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.array(table, key, where)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}.{key}[{i}]", "expected non-empty text")
        return tuple(items)


def kind_name(kinds: tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true/false",
        dict: "table",
        list: "array",
        date: "date",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def load_toml(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(name, "-", f"file not found in {directory}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(name, "-", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(name, "-", f"cannot read: {exc}") from None
