"""Keys land where they were typed, however they arrive (issue 12, point 1).

Why Textual alone loses a burst
-------------------------------
Textual 8.2's ``App.on_event`` takes each ``Key`` from the driver, runs the *priority*
bindings, and forwards the key to the widget focused at that moment
(``Widget._forward_event`` = ``post_message`` into that widget's queue) and returns at once:
it does not wait for the widget to handle it. Everything a key *means* beyond a typed
character happens later, in other queues: the key bubbles from the focused widget through
each ancestor's queue up to the Screen and back to the App, whose ``_on_key`` then runs the
*non-priority* bindings (``_check_bindings``: Tab = ``focus_next``, the screens' F-keys, an
Input's Enter = ``submit``, whose ``Submitted`` message a screen answers by moving focus).
By then the App has already forwarded the rest of the burst to the old widget:
``demo<Tab>demo12345`` becomes the user name "demodemo12345", and a Ctrl+S typed ahead saves
before the keys in front of it have reached their fields.

The fix: one key at a time
--------------------------
:class:`OrderedKeysApp` takes every key (and paste) the driver delivers into a backlog and
releases the next one only when the desk has *settled* after the previous one:

- the App, every screen on the stack and every widget under them is parked on its empty
  message queue (its task waits on the queue's ready event: not inside a handler, an idle
  handler or a ``call_next`` callback), and no ``call_after_refresh`` callback is pending —
  so the key has been handled by its widget, bubbled, run its binding, and whatever that
  caused (``Submitted``, a focus move, a pushed screen's compose and auto-focus,
  ``AfterTyping``) has run too;
- no service call started by a screen (``run_service``'s ``desk-*`` worker groups) is still
  running — a key typed after "Register" waits until the case is stored and the screen has
  answered, as it would for a clerk who waits for the screen;

then it posts the key back to the App, which handles it as Textual does (priority
bindings, then forward to the widget focused *now*). A key typed alone, on an idle desk,
is released at once (one more trip through the App's queue). The waits are event-driven (a
callback posted to each busy pump, worker completion), so ``Pilot`` tests stay
deterministic; only a probe that a closing widget will never read is given up after
:data:`PROBE_PATIENCE`. A guard releases the backlog anyway if the desk has not settled in
:data:`SETTLE_LIMIT` seconds (a stuck handler must not take the keyboard away; logged).

The desk's App derives from :class:`OrderedKeysApp` (one line in ``mss_desk/app.py``).

A priority App binding for Tab alone (DESIGN.md's known trap) would fix Tab in a form, but
not Enter on an Input, F-keys that push screens, or a commit typed ahead: ordering fixes them
all, so Tab keeps its ordinary non-priority binding.

:class:`screens.base.AfterTyping` still works: it is a message, part of what "settled" waits
for, and it still arrives after every key already sent to its field.

Esc in a burst is :mod:`screens.escape`'s job (the driver's parser); this base class
installs that driver too.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import WorkerState

from screens.escape import desk_driver_class

SETTLE_LIMIT = 10.0
"""Seconds the desk may stay busy before the backlog is released regardless."""

SERVICE_GROUP_PREFIX = "desk-"
"""``screens.base.run_service`` runs service calls in worker groups named ``desk-…``."""

PROBE_PATIENCE = 0.1
"""Seconds between looks at whether a probed pump was closed before it read the probe."""

_YIELDS = 3
"""Loop turns an idle desk must stay idle (a task woken by the last handler, e.g. a worker's
result delivered with ``call_from_thread``, gets its turn to post first)."""


def _pumps(app: App[Any]) -> Iterator[MessagePump]:
    """The App, every screen of every mode's stack, and every widget under them."""
    yield app
    seen: set[int] = set()
    for stack in app._screen_stacks.values():
        for screen in stack:
            if id(screen) in seen:
                continue
            seen.add(id(screen))
            yield from screen.walk_children(with_self=True)


def _idle(pump: MessagePump) -> bool:
    """Is ``pump`` parked on its empty queue with nothing left to run?

    Textual's queue keeps no count of messages being handled; a pump's task that waits on
    its queue's ready event is between messages (and past its idle handler and the
    ``call_next`` callbacks it flushes). A pump that is closed does not count."""
    if pump._closing or pump._closed:
        return True
    queue: Any = pump._message_queue
    if not queue.empty() or pump._next_callbacks or getattr(pump, "_callbacks", None):
        return False
    return bool(queue.ready_event._waiters)


async def _probe(pumps: list[MessagePump]) -> None:
    """Return once each pump has handled everything queued on it before now.

    A callback posted to a pump's own queue runs after the message it is handling and every
    message already queued (the same trick as ``screens.base.AfterTyping``)."""
    loop = asyncio.get_running_loop()
    waits: dict[asyncio.Future[None], MessagePump] = {}
    for pump in pumps:
        done: asyncio.Future[None] = loop.create_future()
        # a screen runs its call_after_refresh callbacks once it has painted: wait for that
        # (after its queued messages too), not in a loop of probes until its update timer
        post = pump.call_after_refresh if isinstance(pump, Screen) else pump.call_later
        if post(_resolve, done):
            waits[done] = pump
    while waits:
        finished, _ = await asyncio.wait(waits, timeout=PROBE_PATIENCE)
        for done in finished:
            del waits[done]
        for done, pump in list(waits.items()):
            if pump._closing or pump._closed or not getattr(pump, "is_attached", True):
                del waits[done]  # removed with the probe unread (a dismissed modal's field)


def _running_services(app: App[Any]) -> list[Any]:
    return [
        worker
        for worker in app.workers
        if worker.group.startswith(SERVICE_GROUP_PREFIX)
        and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
    ]


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


async def settled(app: App[Any]) -> None:
    """Return once nothing the last key started is still to run (see the module doc)."""
    idle_turns = 0
    while idle_turns < _YIELDS:
        busy = [pump for pump in _pumps(app) if not _idle(pump)]
        if busy:
            idle_turns = 0
            await _probe(busy)
            continue
        services = _running_services(app)
        if services:
            idle_turns = 0
            await asyncio.wait([asyncio.ensure_future(_finished(w)) for w in services])
            continue
        idle_turns += 1
        await asyncio.sleep(0)


async def _finished(worker: Any) -> None:
    if worker.state == WorkerState.PENDING:  # not started yet: it cannot be waited on
        await asyncio.sleep(0.01)
        return
    try:
        await worker.wait()
    except Exception:  # noqa: BLE001 - a failed call has ended all the same
        pass


class OrderedKeysApp(App[None]):
    """An App that hands keys to its widgets strictly one after the other (module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key_backlog: deque[events.Event] = deque()
        self._key_released: events.Event | None = None
        self._key_drainer: asyncio.Task[None] | None = None

    def get_driver_class(self) -> type[Driver]:
        return desk_driver_class(super().get_driver_class())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if event is self._key_released:
                self._key_released = None  # its turn: Textual's own handling below
                if isinstance(event, events.Key) and self.key_taken(event):
                    return
            else:
                self._key_backlog.append(event)
                if self._key_drainer is None or self._key_drainer.done():
                    self._key_drainer = asyncio.create_task(self._drain_keys())
                return
        await super().on_event(event)

    def key_taken(self, event: events.Key) -> bool:
        """A key at its turn, before Textual handles it: True takes it (the desk's scanner
        reader, ``screens.scanner``)."""
        return False

    async def _drain_keys(self) -> None:
        """Release the backlog one key at a time, each once the desk has settled."""
        while self._key_backlog:
            try:
                await asyncio.wait_for(settled(self), SETTLE_LIMIT)
            except TimeoutError:
                self.log.warning("keys: the desk did not settle; releasing the next key")
            if not self._key_backlog or not self.is_running:
                return
            event = self._key_backlog.popleft()
            self._key_released = event
            if not self.post_message(event):
                return
