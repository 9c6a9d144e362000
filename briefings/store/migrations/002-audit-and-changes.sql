-- 002: the audit trail of every card change, the change feed delivery reads, and
-- per-guild settings (editor roles).

-- Every add, edit, publish, archive, restore, import or pack load of a card, written in the
-- same transaction as the change itself, with the card as it was before and after.
CREATE TABLE card_revisions (
    id        INTEGER PRIMARY KEY,
    card_id   TEXT NOT NULL,
    version   INTEGER NOT NULL,
    action    TEXT NOT NULL
              CHECK (action IN ('add', 'edit', 'publish', 'archive', 'restore', 'import', 'load')),
    member_id INTEGER,
    guild_id  INTEGER,
    at        TEXT NOT NULL,
    before    TEXT,
    after     TEXT NOT NULL
);
CREATE INDEX card_revisions_by_card ON card_revisions (card_id, id);

-- Publishes and edits of published cards, for delivery to subscribers. Drafts and
-- archivals never appear here. `kind` is 'new' (first published) or 'update'; `changes`
-- names the fields that changed, for an update.
CREATE TABLE card_changes (
    id       INTEGER PRIMARY KEY,
    card_id  TEXT NOT NULL,
    version  INTEGER NOT NULL,
    pack     TEXT NOT NULL,
    guild_id INTEGER,
    kind     TEXT NOT NULL CHECK (kind IN ('new', 'update')),
    changes  TEXT NOT NULL DEFAULT '[]',
    at       TEXT NOT NULL,
    UNIQUE (card_id, version)
);

CREATE TABLE guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    editor_role_ids TEXT NOT NULL DEFAULT '[]'
);
