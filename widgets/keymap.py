"""One keymap for the whole desk, as data (issue 12, point 3).

Every key the desk answers is a row of :data:`KEYMAP`: a binding id, its keys, the action it
runs and the i18n key of its label (said in kk/ru/en by ``mss_desk/i18n/*/*.toml``; the App
translates it on screen change and F12, ``widgets.bindings``). Screens, dialogs and the App
build their ``BINDINGS`` from ids with :func:`bindings`; nothing else spells a key.

Two rules the tests check (tests/tui/test_keymap.py):

- the *global* keys (:data:`GLOBAL`: F2–F8, F10, F12, Ctrl+L, Ctrl+P, Ctrl+Q) mean the same
  thing on every screen: a screen may show one again in its footer (:func:`shown`), never
  bind it to another action;
- nothing that creates, sends, deletes or prints runs on a key a barcode scanner or the digit
  row types (issue 12, point 4): issuing a ticket is a Ctrl chord; sending files, marking a
  result ready and discarding a draft ask first (``screens.dialogs.QuestionModal``: Enter
  confirms, Esc cancels).

Why Ctrl+letters and not Ctrl+1/2/3: terminals do not send Ctrl+digit reliably — xterm
without modifyOtherKeys sends the bare digit, the Linux console sends NUL for Ctrl+2 and ESC
for Ctrl+3 — while Ctrl+A…Z is one control byte on every terminal. Ctrl+A and Ctrl+B are
avoided (screen's and tmux's prefixes), as are Ctrl+C/H/I/J/M/[ (copy, backspace, Tab,
newline — a scanner's suffix —, Enter, Esc), and inside forms the chords Textual's ``Input``
uses for editing (Ctrl+A/D/E/K/U/W/X/V).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One row of the keymap: ``keys`` (Textual's comma list) run ``action``; ``label`` is
    an i18n key (or "" for a key with no name: moves in a list)."""

    keys: str
    action: str
    label: str = ""
    show: bool = True
    priority: bool = False
    group: str | None = None
    key_display: str | None = None


GROUPS: dict[str, Binding.Group] = {
    "issue": Binding.Group("ui.key.issue", compact=True),
    "call": Binding.Group("ui.key.call", compact=True),
}

KEYMAP: dict[str, Key] = {
    # -- global: the App's keys, the same on every screen -----------------------------------
    "palette": Key("ctrl+p", "command_palette", "ui.key.palette", show=False, priority=True),
    "lang": Key("f12", "cycle_lang", "ui.key.lang", priority=True),
    "lock": Key("ctrl+l", "lock", "ui.key.lock", priority=True),
    "queue": Key("f2", "open_queue", "ui.key.queue", show=False),
    "intake": Key("f3", "new_intake", "ui.key.intake", show=False),
    "cases": Key("f4", "open_cases", "ui.key.cases", show=False),
    # lifecycle room (issue 5): deadlines, files after intake, complaints, indicators
    "dashboard": Key("f5", "open_lifecycle('dashboard')", "lifecycle.key.dashboard", show=False),
    "forwarding": Key("f6", "open_lifecycle('forwarding')", "lifecycle.key.files", show=False),
    "complaints": Key("f7", "open_lifecycle('complaints')", "lifecycle.key.complaints",
                      show=False),
    "report": Key("f8", "open_lifecycle('report')", "lifecycle.key.report", show=False),
    "logout": Key("f10", "logout", "ui.key.logout", show=False),
    "quit": Key("ctrl+q", "quit", "ui.key.quit", show=False, priority=True),
    # Textual's Ctrl+C says "Do you want to quit?" in English: the desk says it (issue 12.6)
    "ctrl_c": Key("ctrl+c", "help_quit", show=False),
    # -- home ------------------------------------------------------------------------------
    # items 21-25: the Department's and the Regional Department's contacts
    "home.information": Key("i", "screen.show_information", "ui.key.information", show=False),
    # issue 14: the exchange of files with the other desks (opens only; on every desk)
    "home.exchange": Key("x", "screen.show_exchange", "exchange.ui.key_open", show=False),
    # issue 11.12: paper for a consultation visitor, from the Information screen (opens only)
    "info.consult_paper": Key("d", "consult_paper", "ui.key.consult_paper"),
    # prints: a chord, never one key a scanner types (issue 12.4)
    "consult.print_list": Key("ctrl+s", "print_list", "ui.key.print_list"),
    "consult.print_form": Key("ctrl+f", "print_form", "ui.key.print_form"),
    # -- sign in, lock, first run ------------------------------------------------------------
    "login.enter": Key("enter", "login", "ui.key.login", priority=True),
    "lock.unlock": Key("enter", "unlock", "ui.key.unlock", priority=True),
    "lock.switch_user": Key("f10", "app.logout", "ui.key.switch_user", priority=True),
    "setup.choose": Key("enter", "choose", "ui.key.choose", priority=True),
    "setup.down": Key("down", "move(1)", show=False, priority=True),
    "setup.up": Key("up", "move(-1)", show=False, priority=True),
    "setup.pagedown": Key("pagedown", "move(5)", show=False, priority=True),
    "setup.pageup": Key("pageup", "move(-5)", show=False, priority=True),
    "setup.create": Key("enter", "next", "ui.key.create", priority=True),
    "back": Key("escape", "back", "ui.key.back"),
    "board.quit": Key("ctrl+q", "app.quit", "ui.key.quit"),
    # -- the queue (items 7.2, 7.3, 10) ------------------------------------------------------
    # A ticket is a number that cannot be withdrawn and a slip on paper: a chord, never a
    # digit (a scanned case number issued five tickets). Calls sit on the same three keys
    # without Ctrl: R T Y = submit, collect, consult.
    "queue.issue_submit": Key("ctrl+r", "issue('submit')", "ui.purpose.submit", group="issue"),
    "queue.issue_collect": Key("ctrl+t", "issue('collect')", "ui.purpose.collect",
                               group="issue"),
    "queue.issue_consult": Key("ctrl+y", "issue('consult')", "ui.purpose.consult",
                               group="issue"),
    "queue.call_submit": Key("r", "call('submit')", "ui.purpose.submit", group="call"),
    "queue.call_collect": Key("t", "call('collect')", "ui.purpose.collect", group="call"),
    "queue.call_consult": Key("y", "call('consult')", "ui.purpose.consult", group="call"),
    "queue.served": Key("s", "served", "ui.key.served"),
    "queue.no_show": Key("x", "no_show", "ui.key.no_show"),
    # issue 11.12: a consultation visitor's paper (opens the screen; printing is a chord there)
    "queue.consult_paper": Key("d", "consult_paper", "ui.key.consult_paper"),
    # -- intake (the wizard's keys work inside its fields: priority chords) -----------------
    "intake.next": Key("ctrl+n", "next_step", "intake.key.next", priority=True),
    "intake.prev": Key("ctrl+b", "prev_step", "intake.key.prev", priority=True),
    "intake.submit": Key("ctrl+r", "register", "intake.key.submit", priority=True),
    "intake.cancel": Key("escape", "close", "intake.key.cancel"),
    # deletes the draft: a chord no field uses, and a question first (issue 12.4)
    "intake.discard": Key("ctrl+g", "discard", "intake.key.discard", priority=True),
    "checklist.up": Key("up,k", "cursor(-1)", show=False),
    "checklist.down": Key("down,j", "cursor(1)", show=False),
    "checklist.first": Key("home", "cursor_to(0)", show=False),
    "checklist.last": Key("end", "cursor_to(-1)", show=False),
    "checklist.received": Key("space,enter", "toggle_received", "intake.key.received"),
    "checklist.all": Key("a", "all_received", "intake.key.all_received"),
    # -- cases -------------------------------------------------------------------------------
    "cases.back": Key("escape", "back", "intake.key.back"),
    "cases.search": Key("ctrl+f", "focus_search", "intake.key.search"),
    "cases.open": Key("ctrl+o", "open", "intake.key.open"),
    # item 15: the talon again; a chord, never a letter (a scanner never prints)
    "case.reprint": Key("ctrl+t", "reprint", "lifecycle.key.reprint", show=False),
    "case.reopen": Key("ctrl+r", "reopen", "intake.reopen.key"),
    "reopen.save": Key("ctrl+s", "save", "intake.reopen.save", priority=True),
    "reopen.take": Key("t", "take_offer", "intake.reopen.take"),
    "reopen.cancel": Key("escape", "cancel", "intake.key.cancel"),
    "hours.training": Key("ctrl+t", "reason('training')", "intake.hours.training"),
    "hours.extension": Key("ctrl+e", "reason('extension')", "intake.hours.extension"),
    "hours.cancel": Key("escape", "reason('')", "intake.hours.cancel"),
    # -- lifecycle screens -------------------------------------------------------------------
    "dashboard.refresh": Key("r", "refresh", "lifecycle.key.refresh"),
    # the four lists: ←/→, never digits (a scanned case number switched lists and dropped
    # the files picked to send, issue 12.5)
    "forwarding.view_prev": Key("left", "view_step(-1)", "lifecycle.key.view_prev",
                                show=False),
    "forwarding.view_next": Key("right", "view_step(1)", "lifecycle.key.view_next",
                                show=False),
    "forwarding.pick": Key("space", "pick", "lifecycle.key.toggle"),
    # sends files and prints the register: a chord, and a question first (issue 12.4)
    "forwarding.send": Key("ctrl+s", "forward", "lifecycle.key.forward"),
    "forwarding.decide": Key("d", "decide", "lifecycle.key.decide"),
    "forwarding.ready": Key("r", "ready", "lifecycle.key.ready"),  # asks first
    "forwarding.deliver": Key("g", "deliver", "lifecycle.key.deliver"),
    "forwarding.notice": Key("n", "notice", "lifecycle.key.notice"),
    "forwarding.safekeep": Key("k", "safekeep", "lifecycle.key.safekeep"),
    "complaints.new": Key("n", "new", "lifecycle.key.new"),
    "complaints.review": Key("enter", "review", "lifecycle.key.review"),
    "complaints.talon": Key("t", "talon", "lifecycle.key.talon"),
    "report.compute": Key("f9", "compute", "lifecycle.key.compute"),
    "report.csv": Key("c", "csv", "lifecycle.key.csv"),
    "report.pdf": Key("p", "pdf", "lifecycle.key.pdf"),
    "report.enter_value": Key("e", "enter_value", "lifecycle.key.enter_value"),
    # -- the regional desk (issue 14.2): the files every Department forwarded ---------------
    # ←/→ switch the lists, as on the forwarding screen; D opens the decision form (saved
    # with Ctrl+S, then asked once more: issue 12.4)
    "region.view_prev": Key("left", "view_step(-1)", "lifecycle.key.view_prev", show=False),
    "region.view_next": Key("right", "view_step(1)", "lifecycle.key.view_next", show=False),
    "region.open": Key("enter", "open_case", "lifecycle.region.key_open", priority=True),
    "region.decide": Key("d", "decide", "lifecycle.key.decide"),
    # -- Annex 2 for the region (issue 14.2; opened with F8, the global key of Annex 2) -----
    # ←/→ the month before / after (never digits, issue 12.5); P prints, asked first
    "region_report.month_prev": Key("left", "month_step(-1)", "region_report.key_prev",
                                    priority=True),
    "region_report.month_next": Key("right", "month_step(1)", "region_report.key_next",
                                    priority=True),
    "region_report.pdf": Key("p", "pdf", "lifecycle.key.pdf"),
    # the regional desk's complaints (item 22, issue 14.3), F7 there as everywhere: N
    # registers one (the talon only after a question), Enter answers it (the regional head;
    # saved with Ctrl+S, then asked once more), the talon again on a chord (issue 12.4)
    "region_complaints.new": Key("n", "new", "lifecycle.key.new"),
    "region_complaints.answer": Key("enter", "answer", "lifecycle.key.review"),
    "region_complaints.talon": Key("ctrl+t", "talon", "lifecycle.key.talon"),
    # a Department's complaint to the second instance (item 22): a chord, and a question
    "complaints.escalate": Key("ctrl+e", "escalate", "region_complaints.key_escalate"),
    # item 6.1: a place came free (the head, on the waiting list): a form, then asked once
    # more before the referral is written and sent
    "region.free_place": Key("f", "free_place", "region.places.key"),
    # -- the exchange (issue 14): writes a bundle / applies one: chords, and a question first
    "exchange.export": Key("ctrl+e", "export", "exchange.ui.key_export"),
    "exchange.import": Key("ctrl+o", "import_bundle", "exchange.ui.key_import"),
    # a problem dealt with leaves the list (point 6): a chord, and a question first
    # (not in the footer, full at 80 columns: the problems' frame says it when one is listed)
    "exchange.resolve": Key(
        "ctrl+r", "resolve_problem", "exchange.problems.key_resolve", show=False
    ),
    # -- dialogs -----------------------------------------------------------------------------
    "form.save": Key("ctrl+s", "save", "lifecycle.key.save", priority=True),
    "form.cancel": Key("escape", "cancel", "lifecycle.key.cancel"),
    "survey.yes": Key("y", "answer(True)", "lifecycle.survey.yes"),
    "survey.no": Key("n", "answer(False)", "lifecycle.survey.no"),
    "survey.skip": Key("s", "answer(None)", "lifecycle.survey.skip"),
    "survey.cancel": Key("escape", "skip_all", "lifecycle.key.cancel"),
    "question.yes": Key("y,enter", "answer(True)", "question.yes"),
    "question.no": Key("n,escape", "answer(False)", "question.no"),
}

GLOBAL: tuple[str, ...] = (
    "palette", "lang", "lock", "queue", "intake", "cases",
    "dashboard", "forwarding", "complaints", "report", "logout", "quit", "ctrl_c",
)
"""The App's keys: the same meaning on every screen."""


def binding(binding_id: str, **changes: object) -> Binding:
    """The Textual binding of row ``binding_id`` (``changes`` override a field: show…)."""
    row = KEYMAP[binding_id]
    fields: dict[str, object] = {
        "show": row.show, "priority": row.priority, "key_display": row.key_display,
    }
    fields.update(changes)
    return Binding(
        row.keys,
        str(fields.pop("action", row.action)),
        row.label,
        id=binding_id,
        group=GROUPS[row.group] if row.group else None,
        **fields,  # type: ignore[arg-type]
    )


def bindings(*ids: str) -> list[BindingType]:
    """The bindings of ``ids``, in that order (a screen's or dialog's ``BINDINGS``)."""
    return [binding(i) for i in ids]


def shown(*ids: str) -> list[BindingType]:
    """Global keys a screen shows in its footer: the App's action, the same key."""
    return [binding(i, show=True, action=f"app.{KEYMAP[i].action}") for i in ids]


def hidden(*ids: str) -> list[BindingType]:
    """Global keys a screen keeps out of its footer (80 columns cannot show every key)."""
    return [binding(i, show=False, action=f"app.{KEYMAP[i].action}") for i in ids]


def keys_of(binding_id: str) -> str:
    """The first key of a row (a menu that names the key of an action)."""
    return KEYMAP[binding_id].keys.split(",", 1)[0]
