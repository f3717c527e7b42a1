"""SQL schema of the index (a rebuildable cache) and of the user state (never rebuilt)."""

from __future__ import annotations

# Bump when the index tables change: an index with another version is rebuilt from the files.
SCHEMA_VERSION = 8

INDEX_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, hash TEXT);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    date TEXT,
    url TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}',
    body TEXT NOT NULL,
    artefacts TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    words INTEGER NOT NULL
);
CREATE INDEX articles_path ON articles(path);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_source ON articles(source COLLATE NOCASE);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, source,
    content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO fts(rowid, title, body, source) VALUES (new.rowid, new.title, new.body, new.source);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO fts(fts, rowid, title, body, source)
    VALUES ('delete', old.rowid, old.title, old.body, old.source);
END;
CREATE TABLE problems (path TEXT NOT NULL, message TEXT NOT NULL, severity TEXT NOT NULL);
CREATE INDEX problems_path ON problems(path);
-- Stories: every article in exactly one story; copies point at their representative.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    n_articles INTEGER NOT NULL,
    n_copies INTEGER NOT NULL DEFAULT 0,
    sources TEXT NOT NULL DEFAULT '',
    has_conflict INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT NOT NULL
);
-- Holds the ids too: the list of every story id, latest first, is read from the index alone
-- (half the time of the list's start at 100k articles).
CREATE INDEX stories_sort_id ON stories(sort_key, id);
CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    copy_of TEXT,
    relation TEXT NOT NULL DEFAULT 'original',
    score REAL NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX story_members_story ON story_members(story_id, position);
CREATE TABLE pairs (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    score REAL NOT NULL,
    relation TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (a, b)
);
CREATE INDEX pairs_b ON pairs(b);
CREATE TABLE doc_features (article_id TEXT PRIMARY KEY, data BLOB NOT NULL);
-- Entities and figures: spans as JSON per article, distinct names per article, canonical
-- names across the library, and figure groups per story.
CREATE TABLE annotations (article_id TEXT PRIMARY KEY, spans TEXT NOT NULL, figures TEXT NOT NULL);
CREATE TABLE mentions (article_id TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
                       count INTEGER NOT NULL);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_text ON mentions(text);
CREATE TABLE entities (alias TEXT NOT NULL, kind TEXT NOT NULL, canonical TEXT NOT NULL,
                       PRIMARY KEY (alias, kind));
CREATE INDEX entities_canonical ON entities(canonical COLLATE NOCASE);
CREATE TABLE entity_groups (canonical TEXT NOT NULL, kind TEXT NOT NULL, aliases TEXT NOT NULL,
                            mentions INTEGER NOT NULL, PRIMARY KEY (canonical, kind));
CREATE TABLE figure_groups (story_id TEXT NOT NULL, n INTEGER NOT NULL, measure TEXT,
                            subject TEXT, status TEXT NOT NULL, data TEXT NOT NULL,
                            PRIMARY KEY (story_id, n));
CREATE TABLE figure_state (story_id TEXT PRIMARY KEY, members TEXT NOT NULL);
"""

# Added in schema 8 without a rebuild: an older index gets these tables when it opens, its
# name counts are rebuilt once from the mentions (meta 'names_counted' is missing), and its
# stories' figures are checked once against their members (meta 'story_marks' is missing).
NAME_TABLES = """
-- Kept up to date as mentions change, so that regrouping names never reads every mention:
-- one row per distinct name (its spelling key filled in by the regrouping), one per
-- surname used alone in a story (with the full names there that end with it), and the
-- stories (or lone articles) whose surnames must be looked at again.
CREATE TABLE IF NOT EXISTS name_counts (
    text TEXT NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL,
    key TEXT, known INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (text, kind));
CREATE TABLE IF NOT EXISTS surname_links (
    context TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
    candidates TEXT NOT NULL, PRIMARY KEY (context, text));
CREATE TABLE IF NOT EXISTS entity_dirty (context TEXT PRIMARY KEY);
-- Stories whose membership changed since their figures were last compared.
CREATE TABLE IF NOT EXISTS story_dirty (story_id TEXT PRIMARY KEY);
"""
INDEX_SCHEMA += NAME_TABLES

# Added in schema 8 without a rebuild: an older index gets them on opening (title words
# filled from its titles; the story index replacing ``stories_sort``).
STORIES_SORT_ID = "CREATE INDEX IF NOT EXISTS stories_sort_id ON stories(sort_key, id)"
TITLE_TERMS = """
-- Every word used in a title, folded as the full-text index folds it. Fuzzy title search
-- matches a typed word against these, then finds the titles through the full-text index.
-- Words of removed titles may stay: they then find nothing.
CREATE TABLE IF NOT EXISTS title_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
"""
INDEX_SCHEMA += TITLE_TERMS
NAME_TABLE_NAMES = frozenset({"name_counts", "surname_links", "entity_dirty", "story_dirty"})
"""The tables :data:`NAME_TABLES` creates (an index lacking one gets them on opening)."""

# User decisions. Created if missing, never dropped: a schema change here must migrate.
STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS st.state (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL DEFAULT '',
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS st.state_hash ON state(content_hash);
CREATE TABLE IF NOT EXISTS st.story_overrides (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    created REAL NOT NULL,
    PRIMARY KEY (a, b)
);
"""
