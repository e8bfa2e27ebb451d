"""The preview's change detection (`make serve`): native file events first, polling behind them.

MkDocs 1.6.1 watches with watchdog's PollingObserver: every 0.5 s it compares a listing of each
watched folder with the last one, so a save waits 0-0.5 s (0.25 s on average) before the rebuild
starts. Native events (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) arrive
within milliseconds. They do not fire everywhere: files under WSL's /mnt/c edited from Windows,
network folders, some container mounts. So the polling stays, at MkDocs' own interval, and reports
what the native watcher missed; a change the native watcher already reported is not reported again
by the poll (that would rebuild twice and reload the browser twice). If the native watcher cannot
start (say the inotify watch limit is reached), polling alone remains, as in MkDocs.

`install` swaps the server's observer for a `Watcher` and re-watches the paths MkDocs watched before
on_serve; the paths watched after it (mkdocs.yml `watch:`) go through `Watcher.schedule` directly.
Checked by tests/unit/test_watch.py. Plugin switch `native_watch` (make bench turns it off to
measure it). Measured gain at 50 years (two `make serve` of the same site side by side, saves alternating, load
1.5-2.1): save-to-visible 2.39 -> 2.05 s (8 saves each, 14%) and 2.39 -> 2.03 s (12 each, 15%), the
in-process rebuilds the same; make bench's preview section at 21:06, each save after the last
rebuild ended (benchmarks/measure.py _wait_built), 6 saves each: 2.11 -> 1.90 s (10%).
"""

from __future__ import annotations

import logging
import os

import watchdog.observers
import watchdog.observers.polling
from watchdog import events
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .upstream import require

log = logging.getLogger("mkdocs.plugins.branch")
_UNSEEN = object()
# Native events that change a file, asked of the system itself (inotify's mask). Not "opened" or
# "closed_no_write": the build reads every watched file, and at 50 years those thousands of events
# slowed each rebuild by up to a third; nor "attrib" (atime; a touch is still seen by the poll).
CHANGES = [events.FileModifiedEvent, events.FileCreatedEvent, events.FileDeletedEvent, events.FileMovedEvent,
           events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]


def _state(path: str):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _paths(event: FileSystemEvent) -> list[str]:
    return [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]


class _Native(FileSystemEventHandler):
    def __init__(self, handler, seen: dict):
        self.handler, self.seen = handler, seen

    def on_any_event(self, event):
        if not event.is_directory:
            for path in _paths(event):
                self.seen[path] = _state(path)  # what the poll will find, unless it changes again
        self.handler.dispatch(event)


class _Polled(FileSystemEventHandler):
    def __init__(self, handler, seen: dict):
        self.handler, self.seen = handler, seen

    def on_any_event(self, event):
        if event.is_directory or any(self.seen.get(p, _UNSEEN) != _state(p) for p in _paths(event)):
            self.handler.dispatch(event)  # a change the native watcher did not report


class Watcher:
    """Stands in for watchdog's observer in LiveReloadServer: schedule, unschedule, start, stop, join."""

    def __init__(self, interval: float, native: bool = True):
        self.polling = watchdog.observers.polling.PollingObserver(timeout=interval)
        self.native = watchdog.observers.Observer() if native else None
        self.seen: dict[str, object] = {}  # path -> (mtime, size) when the native watcher last reported it

    def schedule(self, handler, path, *, recursive: bool = False):
        refs = [(self.polling, self.polling.schedule(_Polled(handler, self.seen), path, recursive=recursive))]
        if self.native is not None:
            try:
                refs.append((self.native, self.native.schedule(_Native(handler, self.seen), path, recursive=recursive,
                                                              event_filter=CHANGES)))
            except OSError as e:  # a running native observer refused this path: polling covers it
                log.info("预览：%s 的文件变化改为定时检查（%s）", path, e)
        return refs

    def unschedule(self, refs) -> None:
        for observer, ref in refs:
            observer.unschedule(ref)

    def start(self) -> None:
        self.polling.start()
        if self.native is not None:
            try:
                self.native.start()
            except OSError as e:  # e.g. the inotify watch limit: polling alone, as in MkDocs
                log.info("预览：无法使用系统的文件变化通知（%s），改为每 %.1f 秒检查一次", e, self.polling.timeout)
                self.native.stop()
                self.native = None

    def stop(self) -> None:
        for observer in (self.polling, self.native):
            if observer is not None and observer.is_alive():
                observer.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in (self.polling, self.native):
            if observer is not None and observer.is_alive():
                observer.join(timeout)


def install(server, native: bool = True) -> Watcher:
    """on_serve: the server watches through a Watcher, at MkDocs' polling interval."""
    require("mkdocs", "1.6.1", "macros/watch.py install（LiveReloadServer.observer、_watched_paths）")
    watcher = Watcher(server.observer.timeout, native)
    watched = dict(server._watched_paths)  # path -> how many times watch() was called for it
    server.observer, server._watched_paths, server._watch_refs = watcher, {}, {}
    for path, count in watched.items():  # the old observer never started: nothing to stop
        for _ in range(count):
            server.watch(path)
    return watcher
