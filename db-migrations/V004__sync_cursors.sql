-- Tributary schema 004: per-connection incremental sync cursors (GitHub `since`, Notion last-edited time,
-- Slack newest `ts` per channel, Google `syncToken`). A cursor is committed in the same transaction as
-- the records it covers, so a crash mid-sync repeats work and never skips it.

CREATE TABLE IF NOT EXISTS sync_cursors (
    connection_id BIGINT                   NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    name          VARCHAR(200)             NOT NULL,
    cursor_value  VARCHAR(2000)            NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (connection_id, name)
);
