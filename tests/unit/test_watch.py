"""macros/watch.py: under `make serve` a save reaches the server as a native file event, the poll
behind it reports only what the native watcher missed, and reading files reports nothing."""

from __future__ import annotations

import threading
import time

from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileModifiedEvent, FileSystemEventHandler

from macros import watch
from macros.plugin import BranchPlugin


class Record(FileSystemEventHandler):
    """Which observer thread delivered each file event."""

    def __init__(self):
        self.threads = []

    def on_any_event(self, event):
        if not event.is_directory:
            self.threads.append(threading.current_thread())


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def watching(tmp_path, native=True, interval=0.1):
    watcher, record = watch.Watcher(interval, native), Record()
    watcher.schedule(record, str(tmp_path), recursive=True)
    watcher.start()
    return watcher, record


def test_a_save_is_reported_natively_and_not_again_by_the_poll(tmp_path):
    (tmp_path / "2071").mkdir()
    page = tmp_path / "2071/figures.yaml"
    page.write_text("a: 1\n", "utf-8")
    watcher, record = watching(tmp_path)
    try:
        time.sleep(0.3)  # the poll's first listing
        page.write_text("a: 22\n", "utf-8")
        assert wait_for(lambda: record.threads)
        time.sleep(0.5)  # five polls
    finally:
        watcher.stop()
        watcher.join()
    assert watcher.native is not None and set(record.threads) == {watcher.native}


def test_reading_files_is_not_a_change(tmp_path):
    page = tmp_path / "index.md"
    page.write_text("# 首页\n", "utf-8")
    watcher, record = watching(tmp_path)
    try:
        time.sleep(0.3)
        for _ in range(3):
            page.read_text("utf-8")  # as every build does
        time.sleep(0.5)
    finally:
        watcher.stop()
        watcher.join()
    assert record.threads == []


def test_without_native_events_the_poll_reports_the_save(tmp_path):
    page = tmp_path / "index.md"
    page.write_text("# 首页\n", "utf-8")
    watcher, record = watching(tmp_path, native=False)
    try:
        time.sleep(0.3)
        page.write_text("# 首页（改）\n", "utf-8")
        assert wait_for(lambda: record.threads)
    finally:
        watcher.stop()
        watcher.join()
    assert set(record.threads) == {watcher.polling}


def test_a_native_watcher_that_cannot_start_leaves_the_poll(tmp_path, monkeypatch):
    watcher, record = watch.Watcher(0.1), Record()
    watcher.schedule(record, str(tmp_path), recursive=True)

    def refuse():
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watcher.native, "start", refuse)
    watcher.start()
    try:
        assert watcher.native is None
        time.sleep(0.3)
        (tmp_path / "new.md").write_text("x", "utf-8")
        assert wait_for(lambda: record.threads)
    finally:
        watcher.stop()
        watcher.join()


def test_the_poll_forwards_only_what_the_native_watcher_did_not_see(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", "utf-8")
    seen, record = {}, Record()
    polled = watch._Polled(record, seen)
    polled.dispatch(FileModifiedEvent(str(path)))
    assert len(record.threads) == 1  # never reported natively (WSL /mnt/c, a network folder)
    seen[str(path)] = watch._state(str(path))
    polled.dispatch(FileModifiedEvent(str(path)))
    assert len(record.threads) == 1  # the native watcher reported this very state
    path.write_text("a: 222\n", "utf-8")
    polled.dispatch(FileModifiedEvent(str(path)))
    assert len(record.threads) == 2  # changed again since, unseen by the native watcher


def test_on_serve_moves_mkdocs_watches_to_the_watcher(tmp_path):
    """Against MkDocs' real live-reload server: the paths it watched before on_serve and after it
    are watched by the Watcher, and a save asks for a rebuild."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    plugin = BranchPlugin()
    plugin.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        server.watch(str(tmp_path / "docs"))  # as MkDocs does before on_serve
        plugin.on_serve(server, config=None, builder=None)
        server.watch(str(tmp_path / "data"))  # mkdocs.yml watch:, after on_serve
        assert isinstance(server.observer, watch.Watcher)
        assert set(server._watched_paths) == {str(tmp_path / "docs"), str(tmp_path / "data")}
        server.observer.start()
        time.sleep(0.6)  # MkDocs' poll: its first listing
        (tmp_path / "data/figures.yaml").write_text("a: 1\n", "utf-8")
        assert wait_for(lambda: server._want_rebuild)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
