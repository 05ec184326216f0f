-- Tributary schema 007: OAuth `state` values already used in a callback. A state is signed and
-- expires after minutes; remembering its nonce until then makes a replayed callback fail.

CREATE TABLE IF NOT EXISTS oauth_state_uses (
    nonce      VARCHAR(64)              PRIMARY KEY,
    used_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
