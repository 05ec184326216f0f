-- Tributary schema 10.1 (H2; db-migrations/postgresql has the same for PostgreSQL, with its reasons):
-- synced_records keyed by (connection_id, id), the records API's paging order, instead of id alone.
-- Two indexes per record instead of three.
ALTER TABLE synced_records DROP PRIMARY KEY;
ALTER TABLE synced_records ADD CONSTRAINT synced_records_pkey PRIMARY KEY (connection_id, id);
DROP INDEX IF EXISTS synced_records_connection_page_idx;
