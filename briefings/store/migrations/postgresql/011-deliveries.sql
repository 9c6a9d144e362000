-- 011 (PostgreSQL form): where a channel subscription posts (threads, forums), what it
-- follows (cards or briefings), the threads it opened; the fan-out reads
-- subscription_wants. See ../011-deliveries.sql.

ALTER TABLE subscriptions ADD COLUMN threads TEXT NOT NULL DEFAULT 'none'
    CHECK (threads IN ('none', 'digest', 'briefing') AND (threads = 'none' OR target = 'channel'));
ALTER TABLE subscriptions ADD COLUMN forum INTEGER NOT NULL DEFAULT 0
    CHECK (forum IN (0, 1) AND (forum = 0 OR threads <> 'none'));
ALTER TABLE subscriptions ADD COLUMN follows TEXT NOT NULL DEFAULT 'cards'
    CHECK (follows IN ('cards', 'briefings'));

CREATE TABLE delivery_threads (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    thread_id       BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (subscription_id, key)
);

CREATE INDEX card_changes_by_pack ON card_changes (pack, at);

CREATE VIEW subscription_wants AS
SELECT m.* FROM subscription_matches AS m
JOIN subscriptions AS s ON s.id = m.subscription_id
JOIN card_changes AS ch ON ch.id = m.change_id
WHERE s.follows = 'cards'
   OR (ch.kind = 'new' AND NOT EXISTS (
        SELECT 1 FROM card_changes AS earlier WHERE earlier.pack = ch.pack AND earlier.at < ch.at));

CREATE OR REPLACE FUNCTION card_changes_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (subscription_id, kind, change_id, card_id, version, created_at)
    SELECT m.subscription_id, 'card', NEW.id, NEW.card_id, NEW.version, NEW.at
    FROM subscription_wants AS m
    WHERE m.change_id = NEW.id
      AND m.schedule = 'instant'
      AND m.status = 'active'
      AND NEW.id > m.since_change_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
