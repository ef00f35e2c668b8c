"""The desk's words: every closed set of values a case, a ticket or a form may hold.

One place for them, stdlib only, so the rules, the store, the services, the paper, the CLI
and the screens all agree on the same spelling (the labels in kk/ru/en live in
``mss_desk/i18n``, keyed by these values).
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("clerk", "head", "admin")

# items 7.2, 7.3: two purposes with a 40-minute limit; "consult" (information) has none
PURPOSES: tuple[str, ...] = ("submit", "collect", "consult")
# "not_served": never called by closing time (item 10), closed by the desk (issue 11.6)
TICKET_STATUSES: tuple[str, ...] = ("waiting", "called", "served", "no_show", "not_served")

# items 5, 7.1, 15-17: draft -> accepted -> forwarded -> decided -> result_ready ->
# delivered | in_safekeeping, plus returned_incomplete (documents missing)
CASE_STATUSES: tuple[str, ...] = (
    "draft",
    "accepted",
    "returned_incomplete",
    "forwarded",
    "decided",
    "result_ready",
    "delivered",
    "in_safekeeping",
)

# item 10: an intake outside working hours needs one of these reasons (kept in the audit)
OUTSIDE_HOURS_REASONS: tuple[str, ...] = ("training", "extension")

DECISIONS: tuple[str, ...] = ("referral", "refusal")  # item 5
DELIVERY_METHODS: tuple[str, ...] = ("in_person", "post")  # item 16
OWNERSHIP: tuple[str, ...] = ("state", "non_state")  # item 3: recorded, rules unchanged

# item 6: the three institution types
INSTITUTIONS: tuple[str, ...] = ("elderly_general", "children_psychoneuro", "adult_psychoneuro")
SEXES: tuple[str, ...] = ("male", "female")
DISABILITY_GROUPS: tuple[int, ...] = (1, 2, 3)

# item 6.1: the ways relatives may stand
RELATIVES: tuple[str, ...] = (
    "no_relatives",
    "relatives_unable",
    "relatives_able",
    "council_exception",
)
# item 6.1: objective reasons why relatives cannot provide constant care
RELATIVES_REASONS: tuple[str, ...] = (
    "old_age",
    "disability_1_2",
    "oncological",
    "mental_illness",
    "imprisoned",
    "emigrated",
)

# The most characters the store keeps of each text the intake form carries (IntakeForm in
# services/views.py re-exports it): the screen checks them before leaving a step and the
# tables (store/models.py) declare them.
FIELD_LIMITS: dict[str, int] = {
    "iin": 12,
    "surname": 100,
    "name": 100,
    "patronymic": 100,
    "address": 300,
    "phone": 40,
    "council_decision_no": 64,
    "postal_address": 300,
    "representative_name": 200,
    "representative_iin": 12,
    "representative_basis": 200,
}
