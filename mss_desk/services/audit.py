"""The audit trail as the services see it: who did what to which record.

Written in the action's own transaction (an ORM session or a Core connection) through
:func:`mss_desk.store.audit.record`, which fills the hash chain (``prev_hash``/``hash``) in
one place. Never personal data in ``detail`` (no IIN, no names, no disability facts): ids,
numbers and status words only.
"""

from __future__ import annotations

from mss_desk.store.audit import SYSTEM, record

__all__ = ["SYSTEM", "record"]
