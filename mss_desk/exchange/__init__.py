"""The offline exchange (issue 14): files that travel between Department desks and the
Regional Department's desk on a USB stick, by e-mail or ``scp``.

The rooms: ``keys`` (the desk's age and Ed25519 keys, files 0600), ``messages`` (the kinds
and their payloads), ``outbox`` (a message written in the transaction of the change it
carries), ``bundle`` (sealed with age, signed with Ed25519, the format's version),
``apply`` (what a received message does, applied once) and ``service`` (export, import,
trust). docs/exchange.md documents the bundle for IT staff.

Nothing is imported here: ``services.lifecycle`` imports ``exchange.outbox`` on every start.
"""
