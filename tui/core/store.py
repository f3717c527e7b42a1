"""The library index: one SQLite database per library folder, built incrementally.

The article files stay the source of truth; the index is a cache that can always be
rebuilt. User decisions (read, starred, story merges and splits) live in a separate
small database that a rebuild never touches, so nothing the user saved is lost.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.model import DEFAULT_MAX_BYTES, Article, Problem
from tui.core.sanitize import visible_controls
from tui.core.schema import (
    INDEX_SCHEMA,
    NAME_TABLE_NAMES,
    NAME_TABLES,
    SCHEMA_VERSION,
    STATE_SCHEMA,
    STORIES_SORT_ID,
    TITLE_TERMS,
)
from tui.core.text import title_terms

if TYPE_CHECKING:
    # The loader (file formats, cleaning) is imported where files are read: not before the
    # app's first paint (40 ms of its start).
    from tui.core.loader import FileEntry, LoadResult

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
BATCH = 400


class IndexError_(RuntimeError):
    """The index cannot be opened or written (message says why)."""


@dataclass(slots=True)
class RefreshReport:
    """What one refresh of the index did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    changed_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        """True when any article was added, changed or removed."""
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """The columns the lists show, without the text."""

    rowid: int
    id: str
    title: str
    source: str
    date: str | None
    words: int
    path: str
    url: str
    read: bool = False
    starred: bool = False


def library_dir(root: Path, base: Path) -> Path:
    """The per-library folder under ``base``: readable name plus a hash of the full path."""
    resolved = str(root.resolve())
    digest = hashlib.blake2b(resolved.encode(), digest_size=6).hexdigest()
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in root.resolve().name)[:40]
    return base / "libraries" / f"{safe or 'root'}-{digest}"


class Index:
    """An open library index. Safe to use from several threads (one connection each)."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path | None,
        state_dir: Path | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.warnings: list[str] = []
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        self._terms: list[str] | None = None
        self.db_path, self.state_path = self._locate(cache_dir, state_dir)
        self._open_or_rebuild()

    # -- opening --------------------------------------------------------------------

    def _locate(self, cache_dir: Path | None, state_dir: Path | None) -> tuple[Path, Path]:
        """Choose the database files, falling back to a temporary folder if needed."""
        if cache_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="crosscheck-")
            tmp = Path(self._temp.name)
            return tmp / "index.sqlite", tmp / "state.sqlite"
        index_dir = library_dir(self.root, cache_dir)
        st_dir = library_dir(self.root, state_dir or cache_dir)
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            st_dir.mkdir(parents=True, exist_ok=True)
            _probe_writable(index_dir)
        except OSError as exc:
            self.warnings.append(
                f"cache folder {index_dir} is not writable ({exc.strerror}): "
                "using a temporary index for this session"
            )
            self._temp = tempfile.TemporaryDirectory(prefix="crosscheck-")
            tmp = Path(self._temp.name)
            return tmp / "index.sqlite", (st_dir if _writable(st_dir) else tmp) / "state.sqlite"
        return index_dir / "index.sqlite", st_dir / "state.sqlite"

    def use_temporary(self, reason: str) -> None:
        """Carry on in a throw-away index because the cache cannot be written (full disk,
        read-only file); the reason goes to :attr:`warnings`.

        Saved state stays where it is, so marks are still shown; a state file that cannot
        be opened either is replaced by a temporary one too.
        """
        self.warnings.append(f"cannot write the index in {self.db_path.parent} ({reason}): "
                             "using a temporary index for this session")
        self._reset_connections()
        self._temp = tempfile.TemporaryDirectory(prefix="crosscheck-")
        self.db_path = Path(self._temp.name) / "index.sqlite"
        try:
            self._open_or_rebuild()
        except sqlite3.Error:
            self._reset_connections()
            self.state_path = Path(self._temp.name) / "state.sqlite"
            self._open_or_rebuild()

    def _reset_connections(self) -> None:
        """Close this thread's connection; every other thread opens a new one."""
        self.close()
        self._local = threading.local()
        self._terms = None

    def _open_or_rebuild(self) -> None:
        """Open the index; move a corrupt or foreign file aside and start afresh."""
        self._check_state()
        try:
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            self.close()
            aside = _move_aside(self.db_path)
            self.warnings.append(f"index {self.db_path} was unreadable ({exc}): moved to "
                                 f"{aside.name} and rebuilt")
            self._init_schema()

    def _check_state(self) -> None:
        """Move an unreadable state file aside, so that it cannot stop the index opening.

        Its marks cannot be read anyway; the file is kept for recovery by hand.
        """
        if not self.state_path.exists():
            return
        try:
            with closing(sqlite3.connect(self.state_path)) as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            aside = _move_aside(self.state_path)
            self.warnings.append(f"saved state {self.state_path} was unreadable ({exc}): moved "
                                 f"to {aside.name}; read and starred marks start afresh")

    def _init_schema(self) -> None:
        """Create tables, or rebuild them when the schema version changed."""
        db = self.db
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "meta" not in tables:
            raise sqlite3.DatabaseError("not a Crosscheck index")
        version = None
        if "meta" in tables:
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            version = row[0] if row else None
        if version != str(SCHEMA_VERSION):
            if version is not None:
                self.warnings.append(f"index schema {version} is outdated: rebuilding")
            self._drop_all(db)
            db.executescript(INDEX_SCHEMA)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)", (str(self.root),))
            # Empty, so its name counts and story marks are complete: kept up to date from here.
            db.execute("INSERT OR REPLACE INTO meta VALUES ('names_counted', '1')")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('story_marks', '1')")
            db.commit()
            return
        self._add_missing(db, tables)

    def _add_missing(self, db: sqlite3.Connection, tables: set[str]) -> None:
        """Give an index of this schema version what later code added to it."""
        if not NAME_TABLE_NAMES <= tables:
            db.executescript(NAME_TABLES)
        if "title_terms" not in tables:
            with self.transaction() as tx:
                tx.execute(TITLE_TERMS)
                terms: set[str] = set()
                for (title,) in tx.execute("SELECT title FROM articles"):
                    terms |= title_terms(title)
                tx.executemany("INSERT OR IGNORE INTO title_terms VALUES (?)",
                               [(t,) for t in terms])
        if db.execute("SELECT 1 FROM sqlite_master WHERE name='stories_sort'").fetchone():
            with self.transaction() as tx:
                tx.execute(STORIES_SORT_ID)
                tx.execute("DROP INDEX stories_sort")

    @staticmethod
    def _drop_all(db: sqlite3.Connection) -> None:
        """Drop every index table (never the attached state database)."""
        rows = db.execute(
            "SELECT type, name FROM main.sqlite_master WHERE type IN ('table','trigger','view')"
            " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'"
        ).fetchall()
        for kind, name in rows:
            db.execute(f'DROP {kind.upper()} IF EXISTS main."{name}"')
        db.commit()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (index as ``main``, user state attached as ``st``)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=10.0, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("ATTACH DATABASE ? AS st", (str(self.state_path),))
            conn.execute("PRAGMA st.journal_mode=WAL")
            conn.executescript(STATE_SCHEMA)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, serialised between threads of this process."""
        with self._write_lock:
            db = self.db
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself on some errors (a full disk, an I/O error):
                # a second ROLLBACK would hide the error that matters.
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    # -- refreshing -----------------------------------------------------------------

    def refresh(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> RefreshReport:
        """Bring the index up to date with the files: read only what changed."""
        from tui.core.loader import FileEntry, load_batches, scan_stats

        started = time.perf_counter()
        report = RefreshReport()
        # Left by an interrupted run (or one still running elsewhere), not by this one.
        leftovers = self.pending()
        if not self.root.is_dir():
            raise IndexError_(f"{self.root}: library folder not found")
        stats, paths = scan_stats(self.root)
        # Rows straight into a set (no Python per row): 81k files at 100k, every start.
        known = set(self.db.execute("SELECT path, size, mtime_ns FROM files"))
        todo = [FileEntry(row[0], paths[i], row[1], row[2])
                for i, row in enumerate(stats) if row not in known]
        report.unchanged = len(stats) - len(todo)
        batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
        loaded = load_batches(batches, self.max_bytes)
        try:
            cancelled = self._apply_batches(batches, loaded, report, progress, cancel)
        finally:
            loaded.close()  # a pool reading ahead stops here
        if not cancelled:
            # Each unchanged file matched one row: when that is every row, none is gone.
            gone = set() if report.unchanged == len(known) else (
                {row[0] for row in known} - {row[0] for row in stats})
            if gone or leftovers:
                with self.transaction() as db:
                    for path in gone:
                        report.removed_ids += self._delete_path(db, path)
                    report.removed = len(report.removed_ids)
                    _mark_pending(db)
                    if leftovers:
                        _take_leftovers(db, report)
        self._reattach_state()
        if report.touched:
            self._terms = None
        report.seconds = time.perf_counter() - started
        return report

    def pending(self) -> bool:
        """True while files were read whose analyses (names, stories, figures) may not be
        finished: an update was interrupted, or is running in another process."""
        return self.db.execute("SELECT 1 FROM meta WHERE key='pending'").fetchone() is not None

    def clear_pending(self) -> None:
        """Record that every analysis has caught up with the files."""
        with self.transaction() as db:
            db.execute("DELETE FROM meta WHERE key='pending'")

    def _apply_batches(self, batches: list[list[FileEntry]],
                       loaded: Iterator[list[LoadResult]], report: RefreshReport,
                       progress: Progress | None, cancel: Cancel | None) -> bool:
        """Write batches as they are read; True when ``cancel`` stopped it early."""
        total = sum(len(b) for b in batches)
        for n, batch in enumerate(batches):
            if cancel is not None and cancel():
                return True
            self._apply_batch(batch, next(loaded), report)
            if progress is not None:
                progress(min((n + 1) * BATCH, total), total)
        return False

    def _apply_batch(self, batch: Sequence[FileEntry], results: Sequence[LoadResult],
                     report: RefreshReport) -> None:
        """Write a batch of files read (outside the lock) in one transaction."""
        with self.transaction() as db:
            _mark_pending(db)
            for entry, result in zip(batch, results, strict=True):
                # Read again under the lock: another session may have indexed it meanwhile.
                old = db.execute("SELECT size, mtime_ns, hash FROM files WHERE path=?",
                                 (entry.relpath,)).fetchone()
                if old is not None and result.content_hash and result.content_hash == old[2]:
                    db.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                               (entry.size, entry.mtime_ns, entry.relpath))
                    report.unchanged += 1
                    continue
                existed = self._delete_path(db, entry.relpath) if old is not None else []
                db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?)",
                           (entry.relpath, entry.size, entry.mtime_ns, result.content_hash))
                db.executemany("INSERT INTO problems VALUES (?,?,?)",
                               [(p.path, p.message, p.severity) for p in result.problems])
                for article in result.articles:
                    self._insert_article(db, article, report)
                new_ids = {a.id for a in result.articles}
                report.removed_ids += [i for i in existed if i not in new_ids]
                report.changed += sum(1 for i in existed if i in new_ids)
                report.added += len(new_ids) - sum(1 for i in existed if i in new_ids)
                report.changed_ids += sorted(new_ids)

    def _insert_article(self, db: sqlite3.Connection, a: Article, report: RefreshReport) -> None:
        """Insert one article; an id already taken by another file gets a suffix."""
        if db.execute("SELECT 1 FROM articles WHERE id=?", (a.id,)).fetchone():
            report.warnings.append(f"{a.path}: id {a.id!r} already used by another file")
            a.id = f"{a.id}~{hashlib.blake2b(a.path.encode(), digest_size=3).hexdigest()}"
        db.execute(
            "INSERT INTO articles (id, path, title, source, date, url, author, language, tags,"
            " extra, body, artefacts, content_hash, words) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, a.path, a.title, a.source, a.date, a.url, a.author, a.language,
             json.dumps(a.tags), json.dumps(a.extra, ensure_ascii=False), a.body,
             json.dumps(a.artefacts, ensure_ascii=False), a.content_hash, a.words),
        )
        db.executemany("INSERT OR IGNORE INTO title_terms VALUES (?)",
                       [(t,) for t in title_terms(a.title)])

    def _delete_path(self, db: sqlite3.Connection, path: str) -> list[str]:
        """Forget everything indexed from ``path``; return the article ids removed."""
        ids = [r[0] for r in db.execute("SELECT id FROM articles WHERE path=?", (path,))]
        db.execute("DELETE FROM articles WHERE path=?", (path,))
        db.execute("DELETE FROM problems WHERE path=?", (path,))
        db.execute("DELETE FROM files WHERE path=?", (path,))
        return ids

    def _reattach_state(self) -> None:
        """Give state saved under a vanished id to the article now holding the same text.

        This is how read/starred marks survive a file being renamed or moved.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE st.state SET id = (SELECT a.id FROM articles a WHERE"
                " a.content_hash = st.state.content_hash AND NOT EXISTS"
                " (SELECT 1 FROM st.state s2 WHERE s2.id = a.id) LIMIT 1)"
                " WHERE id NOT IN (SELECT id FROM articles) AND EXISTS (SELECT 1 FROM"
                " articles a WHERE a.content_hash = st.state.content_hash AND NOT EXISTS"
                " (SELECT 1 FROM st.state s2 WHERE s2.id = a.id))"
            )
            # Follow edits: a later rename is recognised by the text as it is now.
            db.execute(
                "UPDATE st.state SET content_hash = (SELECT a.content_hash FROM articles a"
                " WHERE a.id = st.state.id) WHERE EXISTS (SELECT 1 FROM articles a"
                " WHERE a.id = st.state.id AND a.content_hash != st.state.content_hash)"
            )

    # -- reading --------------------------------------------------------------------

    def count(self) -> int:
        """Number of articles in the index."""
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def problems(self) -> list[Problem]:
        """Every problem met reading the library, by path."""
        rows = self.db.execute("SELECT path, message, severity FROM problems ORDER BY path")
        return [Problem(*row) for row in rows]

    def get(self, article_id: str) -> Article | None:
        """The full article (original text read from its file on demand)."""
        row = self.db.execute(
            "SELECT id, path, title, body, source, date, url, author, language, tags, extra,"
            " artefacts, content_hash FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], path=row[1], title=row[2], body=row[3], source=row[4], date=row[5],
            url=row[6], author=row[7], language=row[8], tags=json.loads(row[9]),
            extra=json.loads(row[10]), artefacts=json.loads(row[11]), content_hash=row[12],
        )

    def original(self, article_id: str) -> str:
        """The article's text as its file holds it (control characters made visible)."""
        article = self.get(article_id)
        if article is None:
            return ""
        entry = next((e for e in [_single_entry(self.root, article.path)] if e), None)
        if entry is None:
            return "(the file is no longer there)"
        from tui.core.loader import load_file

        result = load_file(entry, self.max_bytes)
        match = next((a for a in result.articles if a.id == article_id), None)
        if match is None and result.articles:
            match = result.articles[0]
        if match is None:
            return "(the file can no longer be read)"
        return visible_controls(match.original)

    def list_rows(
        self, offset: int = 0, limit: int = 100, order: str = "date", descending: bool = True,
        where: str = "", params: Sequence[Any] = (),
    ) -> list[ArticleRow]:
        """A window of article rows, sorted, for lists that show only visible rows."""
        column = {"date": "coalesce(a.date,'')", "source": "lower(a.source)",
                  "title": "lower(a.title)", "size": "a.words", "id": "a.id"}.get(order, "a.date")
        direction = "DESC" if descending else "ASC"
        sql = (f"{ROW_SELECT} {('WHERE ' + where) if where else ''} "
               f"ORDER BY {column} {direction}, a.id LIMIT ? OFFSET ?")
        return [_row(r) for r in self.db.execute(sql, (*params, limit, offset))]

    def rows_by_ids(self, ids: Sequence[str]) -> dict[str, ArticleRow]:
        """Article rows for the given ids."""
        out: dict[str, ArticleRow] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"{ROW_SELECT} WHERE a.id IN ({marks})", chunk):
                row = _row(r)
                out[row.id] = row
        return out

    def title_terms(self) -> list[str]:
        """Every word used in a title, folded (for fuzzy title search), loaded once per
        refresh."""
        if self._terms is None:
            self._terms = [r[0] for r in self.db.execute("SELECT term FROM title_terms")]
        return self._terms

    # -- user state -----------------------------------------------------------------

    def set_state(self, article_id: str, *, read: bool | None = None,
                  starred: bool | None = None) -> None:
        """Mark an article read/unread or starred/unstarred."""
        row = self.db.execute("SELECT content_hash FROM articles WHERE id=?",
                              (article_id,)).fetchone()
        content_hash = row[0] if row else ""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO st.state (id, content_hash) VALUES (?, ?)",
                       (article_id, content_hash))
            if read is not None:
                db.execute("UPDATE st.state SET read=?, updated=? WHERE id=?",
                           (int(read), time.time(), article_id))
            if starred is not None:
                db.execute("UPDATE st.state SET starred=?, updated=? WHERE id=?",
                           (int(starred), time.time(), article_id))
            db.execute("UPDATE st.state SET content_hash=? WHERE id=? AND ?!=''",
                       (content_hash, article_id, content_hash))

    def state(self, article_id: str) -> tuple[bool, bool]:
        """``(read, starred)`` for an article."""
        row = self.db.execute("SELECT read, starred FROM st.state WHERE id=?",
                              (article_id,)).fetchone()
        return (bool(row[0]), bool(row[1])) if row else (False, False)


ROW_SELECT = (
    "SELECT a.rowid, a.id, a.title, a.source, a.date, a.words, a.path, a.url,"
    " coalesce(s.read, 0), coalesce(s.starred, 0) FROM articles a"
    " LEFT JOIN st.state s ON s.id = a.id"
)


def _row(r: Sequence[Any]) -> ArticleRow:
    """An :class:`ArticleRow` from a ``ROW_SELECT`` result."""
    return ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]))


def cannot_write(exc: sqlite3.Error) -> bool:
    """True when ``exc`` says the index file cannot be written (full, read-only, I/O)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN"))


def _mark_pending(db: sqlite3.Connection) -> None:
    """Note, in the transaction that changes the files' rows, that analyses must follow."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', '1')")


def _take_leftovers(db: sqlite3.Connection, report: RefreshReport) -> None:
    """Hand on the work an interrupted update (killed, cancelled) left half done.

    Articles removed from the index whose analyses survived are reported as removed again,
    so the analyses forget them (a story still holding one would fail to update). An
    article that never reached a story loses its features, so the next stages fingerprint
    and cluster it (the pipeline finishes every article without features).
    """
    # (Mentions are written and deleted with their article's annotations row.)
    ghosts = [r[0] for r in db.execute(
        "SELECT article_id FROM annotations UNION SELECT article_id FROM doc_features"
        " UNION SELECT article_id FROM story_members EXCEPT SELECT id FROM articles")]
    known = set(report.removed_ids)
    report.removed_ids += [g for g in ghosts if g not in known]
    db.execute("DELETE FROM doc_features WHERE article_id NOT IN"
               " (SELECT article_id FROM story_members)")


def _single_entry(root: Path, relpath: str) -> FileEntry | None:
    """A :class:`FileEntry` for one known file, or ``None`` if it vanished."""
    from tui.core.loader import FileEntry

    path = root / relpath
    try:
        info = path.stat()
    except OSError:
        return None
    return FileEntry(relpath, path, info.st_size, info.st_mtime_ns)


def _move_aside(path: Path) -> Path:
    """Rename a database (and its WAL files) to an unused ``<name>.broken-<time>``."""
    stamp = int(time.time())
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    while aside.exists():
        stamp += 1
        aside = path.with_name(f"{path.name}.broken-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            shutil.move(src, Path(str(aside) + suffix))
    return aside


def _probe_writable(folder: Path) -> None:
    """Raise ``OSError`` unless a file can be created in ``folder``."""
    probe = folder / f".probe-{threading.get_ident()}"
    probe.write_bytes(b"")
    probe.unlink()


def _writable(folder: Path) -> bool:
    """True when a file can be created in ``folder``."""
    try:
        _probe_writable(folder)
    except OSError:
        return False
    return True
