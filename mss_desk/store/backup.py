"""The old name of the backups and restore, kept for the CLI and the App while they move.

Taking, listing and rotating backups live in ``store.backups``; restoring one in
``store.recovery``. New code imports from those; this module only re-exports them (it is
the top of the store's layers, so nothing in the store imports it).
"""

from __future__ import annotations

from mss_desk.store.backups import (
    DEFAULT_KEEP,
    KINDS,
    BackupInfo,
    BackupSettings,
    auto_backup_if_due,
    backup,
    backup_due,
    default_backup_dir,
    latest_good_backup,
    list_backups,
    rotate,
    settings_from,
)
from mss_desk.store.recovery import RestoreResult, check_backup, restore, restore_last_good

__all__ = [
    "DEFAULT_KEEP",
    "KINDS",
    "BackupInfo",
    "BackupSettings",
    "RestoreResult",
    "auto_backup_if_due",
    "backup",
    "backup_due",
    "check_backup",
    "default_backup_dir",
    "latest_good_backup",
    "list_backups",
    "restore",
    "restore_last_good",
    "rotate",
    "settings_from",
]
