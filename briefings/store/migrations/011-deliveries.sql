-- 011: where a channel subscription posts,
-- and what it follows.
--
-- `threads`: 'none' posts in the channel (or the thread) itself; 'digest' opens a new thread
-- for each delivery; 'briefing' opens one thread per briefing and posts that briefing's
-- deliveries in it. `forum`: the channel is a forum (a thread is a post there, with tags).
-- `follows`: 'cards' (every new and updated card; a new briefing arrives as one message) or
-- 'briefings' (only new briefings, one message each).

ALTER TABLE subscriptions ADD COLUMN threads TEXT NOT NULL DEFAULT 'none'
    CHECK (threads IN ('none', 'digest', 'briefing') AND (threads = 'none' OR target = 'channel'));
ALTER TABLE subscriptions ADD COLUMN forum INTEGER NOT NULL DEFAULT 0
    CHECK (forum IN (0, 1) AND (forum = 0 OR threads <> 'none'));
ALTER TABLE subscriptions ADD COLUMN follows TEXT NOT NULL DEFAULT 'cards'
    CHECK (follows IN ('cards', 'briefings'));

-- The threads (and forum posts) a subscription opened: per briefing (`key` = the pack's
-- slug) or per delivery (`key` = 'row:' || the outbox row id, so a resumed delivery goes on
-- in the thread it opened). Gone with the subscription.
CREATE TABLE delivery_threads (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    thread_id       INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (subscription_id, key)
) WITHOUT ROWID;

-- A change set that first publishes cards of a pack is that briefing's publication.
CREATE INDEX card_changes_by_pack ON card_changes (pack, at);

-- What a subscription wants: its matches, less the changes a briefings-only subscription
-- does not follow (anything but a briefing's first publication). One definition serves the
-- instant fan-out and the digests.
CREATE VIEW subscription_wants AS
SELECT m.* FROM subscription_matches AS m
JOIN subscriptions AS s ON s.id = m.subscription_id
JOIN card_changes AS ch ON ch.id = m.change_id
WHERE s.follows = 'cards'
   OR (ch.kind = 'new' AND NOT EXISTS (
        SELECT 1 FROM card_changes AS earlier WHERE earlier.pack = ch.pack AND earlier.at < ch.at));

DROP TRIGGER card_changes_fan_out;
CREATE TRIGGER card_changes_fan_out AFTER INSERT ON card_changes
BEGIN
    INSERT OR IGNORE INTO outbox (subscription_id, kind, change_id, card_id, version, created_at)
    SELECT m.subscription_id, 'card', NEW.id, NEW.card_id, NEW.version, NEW.at
    FROM subscription_wants AS m
    WHERE m.change_id = NEW.id
      AND m.schedule = 'instant'
      AND m.status = 'active'
      AND NEW.id > m.since_change_id;
END;
