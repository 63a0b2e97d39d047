"""Consistent backups with SQLite's online backup API, retention, and a guarded restore.

A running bot holds an exclusive lock on ``<db>.lock``; restore refuses while that lock is
held, so a database is never replaced under a live process.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import IO

from storage.migrations import MIGRATIONS

BACKUP_SUFFIX = ".sqlite3"


class RestoreRefused(RuntimeError):
    """Restore cannot proceed (bot running, or the backup is damaged)."""


def lock_path(db_path: Path) -> Path:
    """The lock file a running bot holds next to its database."""
    return db_path.with_name(db_path.name + ".lock")


class RunLock:
    """An exclusive, process-lifetime lock: held by ``run``, tested by ``restore``."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        """Let go of the lock."""
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def backup(db_path: Path, target: Path) -> Path:
    """Copy the live database to ``target`` consistently, even while the bot writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(db_path, timeout=30)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    check_integrity(partial)
    partial.replace(target)  # a crash never leaves a half-written file under the real name
    return target


def check_integrity(path: Path) -> None:
    """Raise RestoreRefused unless ``path`` is a sound SQLite database of this project."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"not a readable SQLite database: {exc}") from exc
    if not result or result[0] != "ok":
        raise RestoreRefused(f"integrity check failed: {result}")
    if not version or version[0] < 1:
        raise RestoreRefused("not a Kinerja database (no schema version)")
    known = len(MIGRATIONS)
    if version[0] > known:
        # Made by a newer bot: this code would run on tables it does not know.
        raise RestoreRefused(
            f"the backup has schema version {version[0]}, newer than this bot knows ({known});"
            " update the bot first, then restore"
        )


def restore(backup_path: Path, db_path: Path) -> None:
    """Replace the database by a checked backup; refused while the bot runs."""
    if not backup_path.is_file():
        raise RestoreRefused(f"no such backup: {backup_path}")
    check_integrity(backup_path)
    lock = RunLock(db_path)
    if not lock.acquire():
        raise RestoreRefused("the bot is running; stop it before restoring")
    try:
        staging = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(backup_path, staging)
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        staging.replace(db_path)
    finally:
        lock.release()


def timestamped(directory: Path, at: datetime) -> Path:
    """A backup file name that sorts by time."""
    return directory / f"kinerja-{at.strftime('%Y%m%d-%H%M%S')}{BACKUP_SUFFIX}"


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    backups = sorted(directory.glob(f"kinerja-*{BACKUP_SUFFIX}"))
    doomed = backups[:-keep] if keep > 0 else backups
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
