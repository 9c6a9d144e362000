-- 007 (PostgreSQL form): the message that carried a card to a subscription; corrections.

CREATE TABLE sent_cards (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    card_id         TEXT NOT NULL,
    channel_id      BIGINT NOT NULL,
    message_id      BIGINT NOT NULL,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (subscription_id, card_id)
);
CREATE INDEX sent_cards_by_age ON sent_cards (sent_at);

ALTER TABLE subscriptions ADD COLUMN corrections TEXT NOT NULL DEFAULT 'edit'
    CHECK (corrections IN ('edit', 'new'));
