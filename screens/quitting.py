"""Quitting the desk in the clerk's language (issue 12, point 6).

Ctrl+Q asks first when leaving would lose something: a ticket called and not finished (the
visitor stands at the counter) or work on screen not yet saved (an intake in progress, a
form being filled). The question is :class:`screens.dialogs.QuestionModal`: Enter quits,
Esc stays. Ctrl+C — which Textual answers with an English "Do you want to quit?" toast —
says in the clerk's language which key quits.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from screens.dialogs import FormModal, QuestionModal


def _t(app: Any, key: str, **params: Any) -> str:
    return str(app.t(key, **params))


def unsaved_work(app: App[Any]) -> bool:
    """An intake not registered yet, or a form open, anywhere on the stack."""
    from screens.intake import IntakeScreen

    for screen in app.screen_stack:
        if isinstance(screen, FormModal):
            return True
        if isinstance(screen, IntakeScreen) and getattr(screen, "result", None) is None:
            return True
    return False


def reasons_to_stay(app: App[Any]) -> list[str]:
    """What quitting now would leave hanging, in the clerk's words ([] when nothing)."""
    out: list[str] = []
    ticket = getattr(app, "current_ticket", None)
    if ticket is not None:
        out.append(_t(app, "ui.quit.ticket", number=getattr(ticket, "number", "")))
    if unsaved_work(app):
        out.append(_t(app, "ui.quit.unsaved"))
    return out


def ask_to_quit(app: App[Any]) -> None:
    """Ctrl+Q: quit at once, or ask first when something would be left hanging."""
    reasons = reasons_to_stay(app)
    if not reasons:
        app.exit()
        return
    if isinstance(app.screen, QuestionModal) and getattr(app.screen, "quit_question", False):
        return  # already asked: Ctrl+Q twice is one question
    question = QuestionModal(
        _t(app, "ui.quit.title"), "\n".join(reasons), yes="ui.quit.yes", no="ui.quit.no"
    )
    question.quit_question = True  # type: ignore[attr-defined]
    app.push_screen(question, lambda yes: app.exit() if yes else None)


def say_how_to_quit(app: App[Any]) -> None:
    """Ctrl+C: the key that quits, said in the clerk's language (not Textual's English)."""
    app.notify(_t(app, "ui.quit.help"), markup=False, timeout=4)
