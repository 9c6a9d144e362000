-- 003: subscriptions to card changes, and the outbox that delivers them.
--
-- A subscription sends new and updated published cards to a member by DM or to a channel,
-- as they happen ('instant') or as a 'daily'/'weekly' digest. The fan-out is a trigger on
-- card_changes, so outbox rows are written in the same transaction as the change itself:
-- a change that rolls back leaves no deliveries behind, and a committed one cannot be lost.

CREATE TABLE subscriptions (
    id               INTEGER PRIMARY KEY,
    target           TEXT NOT NULL CHECK (target IN ('dm', 'channel')),
    guild_id         INTEGER,          -- where it was made: that guild's own cards are in scope
    channel_id       INTEGER,          -- a channel subscription's channel or thread
    user_id          INTEGER,          -- a DM subscription's member
    created_by       INTEGER,          -- who set it up (NULL once they asked to be forgotten)
    dm_channel_id    INTEGER,          -- the DM channel, opened once and remembered
    actor_id         TEXT,             -- filters; NULL matches everything
    domain           TEXT,
    pack             TEXT,
    schedule         TEXT NOT NULL CHECK (schedule IN ('instant', 'daily', 'weekly')),
    local_time       TEXT,             -- a digest's HH:MM in `timezone`
    timezone         TEXT,
    weekday          INTEGER CHECK (weekday BETWEEN 0 AND 6),  -- weekly: 0 = Monday
    next_digest_at   TEXT,             -- ISO UTC instant of the next digest
    since_change_id  INTEGER NOT NULL, -- changes up to this id are not for this subscription
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    paused_reason    TEXT,
    created_at       TEXT NOT NULL,
    last_delivery_at TEXT,
    last_error       TEXT,
    last_error_at    TEXT,
    CHECK (target = 'channel' OR (user_id IS NOT NULL AND channel_id IS NULL)),
    CHECK (target = 'dm' OR (channel_id IS NOT NULL AND guild_id IS NOT NULL)),
    CHECK ((schedule = 'instant') = (next_digest_at IS NULL))
);
-- The same feed twice to one place would deliver every card twice.
CREATE UNIQUE INDEX subscriptions_once ON subscriptions (
    target, ifnull(channel_id, user_id), ifnull(guild_id, 0), ifnull(actor_id, ''),
    ifnull(domain, ''), ifnull(pack, ''), schedule
);
CREATE INDEX subscriptions_by_schedule ON subscriptions (schedule, status);
CREATE INDEX subscriptions_due ON subscriptions (next_digest_at);
CREATE INDEX subscriptions_by_user ON subscriptions (user_id);
CREATE INDEX subscriptions_by_creator ON subscriptions (created_by);
CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id, target);

-- Which subscription wants which change, by scope and filters. One definition serves the
-- instant fan-out (the trigger below) and the digests (the store), so they cannot disagree.
-- Scope: a global card (guild_id NULL) is for everyone; a guild's card only for
-- subscriptions made in that guild. Filters read the card's links as they are now.
CREATE VIEW subscription_matches AS
SELECT
    s.id AS subscription_id,
    s.schedule,
    s.status,
    s.since_change_id,
    ch.id AS change_id
FROM subscriptions AS s
JOIN card_changes AS ch
WHERE (ch.guild_id IS NULL OR ch.guild_id = s.guild_id)
  AND (s.pack IS NULL OR s.pack = ch.pack)
  AND (s.actor_id IS NULL OR EXISTS (
        SELECT 1 FROM card_actors AS ca
        WHERE ca.card_id = ch.card_id AND ca.actor_id = s.actor_id))
  AND (s.domain IS NULL OR EXISTS (
        SELECT 1 FROM cards AS c, json_each(c.data, '$.leverage') AS j
        JOIN leverage AS l ON l.id = j.value
        WHERE c.id = ch.card_id AND l.domain = s.domain));

-- One row per message (or group of messages) to send. `state` moves pending -> sending
-- (claimed by the dispatcher) -> delivered, or to failed (gave up: the error is kept) or
-- dropped (not sent on purpose: the subscription was paused, the card archived).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('card', 'digest', 'welcome')),
    change_id       INTEGER,           -- a card: its card_changes row
    card_id         TEXT,
    version         INTEGER,
    change_ids      TEXT,              -- a digest: JSON list of the card_changes ids it covers
    until_change_id INTEGER,           -- a digest: the last change id it looked at
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'delivered', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    parts_sent      INTEGER NOT NULL DEFAULT 0,  -- messages of a multi-message row already sent
    not_before      TEXT,              -- retry backoff: not to be claimed before this instant
    created_at      TEXT NOT NULL,
    updated_at      TEXT,
    error           TEXT
);
-- The unique keys that make a duplicate row impossible, whatever calls what twice.
CREATE UNIQUE INDEX outbox_card_once ON outbox (subscription_id, card_id, version)
    WHERE kind = 'card';
CREATE UNIQUE INDEX outbox_digest_once ON outbox (subscription_id, until_change_id)
    WHERE kind = 'digest';
CREATE UNIQUE INDEX outbox_welcome_once ON outbox (subscription_id) WHERE kind = 'welcome';
CREATE INDEX outbox_queue ON outbox (state, id);
CREATE INDEX outbox_by_subscription ON outbox (subscription_id, state);

-- The instant fan-out, inside the transaction that records the change.
CREATE TRIGGER card_changes_fan_out AFTER INSERT ON card_changes
BEGIN
    INSERT OR IGNORE INTO outbox (subscription_id, kind, change_id, card_id, version, created_at)
    SELECT m.subscription_id, 'card', NEW.id, NEW.card_id, NEW.version, NEW.at
    FROM subscription_matches AS m
    WHERE m.change_id = NEW.id
      AND m.schedule = 'instant'
      AND m.status = 'active'
      AND NEW.id > m.since_change_id;
END;
