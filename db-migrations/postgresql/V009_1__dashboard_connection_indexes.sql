-- Tributary schema 9.1 (PostgreSQL only; H2 has no partial indexes and the embedded database is small):
-- the dashboard's integrations page pages through connections by id within one provider and one
-- health state, at any size (100,000 connections and more). `active` is split in two by
-- consecutive_failures (healthy = 0, failing > 0), so each filter is an index range read in id order:
-- needs_reauth and disabled use connections_provider_status_idx (provider, status, id) from schema 002.
-- A separate version (9.1) so it never collides with the common migrations' numbering.

CREATE INDEX IF NOT EXISTS connections_healthy_page_idx ON connections (provider, id)
    WHERE status = 'active' AND consecutive_failures = 0;
CREATE INDEX IF NOT EXISTS connections_failing_page_idx ON connections (provider, id)
    WHERE status = 'active' AND consecutive_failures > 0;
