"""The desk's words: every closed set of values a case, a ticket or a form may hold.

One place for them, stdlib only, so the rules, the store, the services, the paper, the CLI
and the screens all agree on the same spelling (the labels in kk/ru/en live in
``mss_desk/i18n``, keyed by these values).
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("clerk", "head", "admin")

# items 7.2, 7.3: two purposes with a 40-minute limit; "consult" (information) has none
PURPOSES: tuple[str, ...] = ("submit", "collect", "consult")
TICKET_STATUSES: tuple[str, ...] = ("waiting", "called", "served", "no_show")

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
