-- 007: which message carried a card to a subscription, so that a correction can edit it in
-- place (instant card deliveries only; digests and import summaries are not edited). One row
-- per subscription and card: the latest message. Gone with its subscription; pruned with
-- the outbox's delivered rows.

CREATE TABLE sent_cards (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    card_id         TEXT NOT NULL,
    channel_id      INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (subscription_id, card_id)
) WITHOUT ROWID;
CREATE INDEX sent_cards_by_age ON sent_cards (sent_at);

-- How a subscription takes a correction of a card it was sent: 'edit' the message sent
-- (the default) or send a 'new' one.
ALTER TABLE subscriptions ADD COLUMN corrections TEXT NOT NULL DEFAULT 'edit'
    CHECK (corrections IN ('edit', 'new'));
