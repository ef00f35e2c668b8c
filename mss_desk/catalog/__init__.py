"""Reference data (``data/*.toml``) loaded and validated into frozen dataclasses.

The regulation is data (SPEC.md): Departments (Annex 1), institution types and their
documents (items 6, 12), indicators (Annex 2), pension ages, terms (items 5, 7, 18.6, 23)
and calendar overrides. Everything is checked at load; a broken file raises
:class:`~mss_desk.errors.CatalogError` naming the file, the key and the reason — never a raw
traceback. Only the standard library is imported here: start-up time matters.

The package: ``model`` (the dataclasses), ``reader`` (typed, checked access to one TOML
file), ``files`` (one reader per data file); here, loading the whole catalog.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from mss_desk.catalog import files, model
from mss_desk.catalog.model import *  # noqa: F403 - the dataclasses are the package's names
from mss_desk.catalog.model import Catalog


def _build(directory: Path) -> Catalog:
    departments, regional = files.read_departments(directory)
    institutions, documents = files.read_institutions(directory)
    indicators, groups = files.read_indicators(directory)
    return Catalog(
        departments=departments,
        regional=regional,
        institutions=institutions,
        documents=documents,
        indicators=indicators,
        indicator_groups=groups,
        pension_steps=files.read_pension_ages(directory),
        term_editions=files.read_terms(directory),
        calendar_overrides=files.read_calendar(directory),
        path=directory,
        akimat=files.read_akimat(directory),
    )


@lru_cache(maxsize=8)
def _cached(directory: Path) -> Catalog:
    return _build(directory)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and validate the reference data (cached per directory).

    ``path`` defaults to :func:`mss_desk.locations.reference_data_dir`.
    """
    if path is None:
        from mss_desk.locations import reference_data_dir

        path = reference_data_dir()
    return _cached(Path(path).resolve())


def clear_cache() -> None:
    """Forget loaded catalogs (tests that rewrite a data directory)."""
    _cached.cache_clear()


__all__: list[str] = [*model.__all__, "load_catalog", "clear_cache"]
