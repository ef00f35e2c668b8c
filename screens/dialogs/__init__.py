"""The shared dialogs: every modal a screen may ask a question with lives here.

- :class:`FormModal` and :class:`Field`: a keyboard form whose save is a service write,
  run off the UI thread (Ctrl+S saves, Esc cancels).
- :class:`QuestionModal`: a keyboard-only yes/no question (Enter/Y = yes, Esc/N = no).
- :class:`SurveyModal`: the Annex 2 survey at delivery (five yes/no/skip questions).
"""

from __future__ import annotations

from screens.dialogs.form import Field, FormModal
from screens.dialogs.question import QuestionModal
from screens.dialogs.survey import SURVEY, SurveyModal

__all__ = ["SURVEY", "Field", "FormModal", "QuestionModal", "SurveyModal"]
