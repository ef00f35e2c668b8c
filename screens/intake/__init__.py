"""The intake room: a submit ticket (or a walk-in) becomes a case (items 6, 12, 15-17).

- ``screen``: :class:`IntakeScreen`, the wizard — moves between the steps, keeps the
  facts and the checklist live, registers the case;
- ``type_step``, ``eligibility_step``, ``applicant_step``, ``documents_step``,
  ``confirm_step``: one widget per step, each with its fields and its ``problems()``;
- ``fields``: the labelled row, the radio sets and the :class:`Step` base they share;
- ``drafts``: saving, resuming and discarding the draft; ``writes``: the screen's writes,
  off the UI thread and in order; ``paper``: the talon or the missing-documents slip;
- ``intake.tcss``: the look.

The question table (which questions each type asks) is a rule: ``mss_desk.rules.questions``.
"""

from screens.intake.screen import IntakeScreen

__all__ = ["IntakeScreen"]
