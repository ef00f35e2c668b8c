"""Errors a clerk or the command line may see.

Each carries an i18n message key and its parameters, so the screen can say it in the
clerk's language and the CLI can print one clear line — never a traceback.
"""

from __future__ import annotations

from typing import Any


class DeskError(Exception):
    key: str = "error.generic"

    def __init__(self, message: str = "", *, key: str | None = None, **params: Any) -> None:
        super().__init__(message or (key or self.key))
        if key is not None:
            self.key = key
        self.params = params


class CatalogError(DeskError):
    """A reference data file is broken: names the file, the key and the reason."""

    key = "error.catalog"

    def __init__(self, file: str, where: str, reason: str) -> None:
        super().__init__(f"{file}: {where}: {reason}", file=file, where=where, reason=reason)
        self.file, self.where, self.reason = file, where, reason


class InvalidIIN(DeskError):
    key = "error.iin"


class ValidationError(DeskError):
    key = "error.validation"


class NotFound(DeskError):
    key = "error.not_found"


class DepartmentNotChosen(DeskError):
    """The database holds several Departments and this desk has not said which is its own
    (issue 15, item 2): it serves none of them rather than guess."""

    key = "setup.department_not_chosen"


class RuleViolation(DeskError):
    key = "error.rule"


class AuthError(DeskError):
    key = "error.auth"


class SignedOut(AuthError):
    """A clerk's action with nobody signed in (a screen outlived its session)."""

    key = "error.signed_out"


class OutsideHours(DeskError):
    key = "error.outside_hours"


class StorageError(DeskError):
    """The write did not happen ("not saved"); the form stays open, the database intact."""

    key = "error.not_saved"
