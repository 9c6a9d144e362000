-- 001: packs, cards and the catalogue (actors, events, leverage shifts, relations).
-- Each row keeps its validated model as JSON in `data`; the other columns exist to
-- filter, join and order. guild_id is NULL for global (shipped) records.

CREATE TABLE packs (
    slug         TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    loaded_at    TEXT NOT NULL,
    data         TEXT NOT NULL
);

CREATE TABLE actors (
    id       TEXT PRIMARY KEY,
    pack     TEXT REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id INTEGER,
    data     TEXT NOT NULL
);

CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    pack       TEXT REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id   INTEGER,
    sort_start TEXT,
    sort_end   TEXT,
    data       TEXT NOT NULL
);

CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX event_actors_by_actor ON event_actors (actor_id);

CREATE TABLE leverage (
    id       TEXT PRIMARY KEY,
    pack     TEXT REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id INTEGER,
    domain   TEXT NOT NULL,
    actor    TEXT NOT NULL REFERENCES actors (id),
    over     TEXT NOT NULL REFERENCES actors (id),
    period   TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX leverage_by_actor ON leverage (actor);
CREATE INDEX leverage_by_over ON leverage (over);

CREATE TABLE relations (
    pack     TEXT REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id INTEGER,
    source   TEXT NOT NULL REFERENCES actors (id),
    target   TEXT NOT NULL REFERENCES actors (id),
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL,
    PRIMARY KEY (source, target, kind)
);

CREATE TABLE cards (
    rowid      INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    pack       TEXT NOT NULL REFERENCES packs (slug),
    guild_id   INTEGER,
    section    INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX cards_by_pack ON cards (pack, section);
CREATE INDEX cards_by_guild ON cards (guild_id);

CREATE TABLE card_actors (
    card_id  TEXT NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id),
    PRIMARY KEY (card_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX card_actors_by_actor ON card_actors (actor_id);

CREATE TABLE card_events (
    card_id  TEXT NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events (id),
    PRIMARY KEY (card_id, event_id)
) WITHOUT ROWID;
CREATE INDEX card_events_by_event ON card_events (event_id);

-- Full-text indexes over cards, actors and events, keyed by the record's rowid so the
-- store rewrites a record's entry cheaply in the same transaction as the record.
-- Porter stemming lets "sanctioned" find "sanctions"; remove_diacritics lets
-- "Turkiye" find "Türkiye".
CREATE VIRTUAL TABLE cards_fts USING fts5 (
    title, body, names, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE actors_fts USING fts5 (
    title, body, names, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE events_fts USING fts5 (
    title, body, names, tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
