-- Tributary schema 10.1 (PostgreSQL; db-migrations/h2 has the same for H2, whose primary key has no
-- name to drop): synced_records keyed by (connection_id, id) instead of id alone.
--
-- Nothing looks a record up by its id alone: the records API pages a connection's records in id order,
-- and a sync finds a record by (connection_id, kind, external_id). The primary key on id was an index
-- every inserted record paid for (a third of its index writes) and nobody read. The new key is the
-- records API's paging index, so that index goes: two indexes per record instead of three.
-- On a large table this rebuilds one index under an exclusive lock (minutes at tens of millions of
-- records); safe to run twice.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE c.relname = 'synced_records_pkey' AND i.indisprimary AND i.indnatts = 2) THEN
        ALTER TABLE synced_records DROP CONSTRAINT IF EXISTS synced_records_pkey;
        ALTER TABLE synced_records ADD CONSTRAINT synced_records_pkey PRIMARY KEY (connection_id, id);
    END IF;
END $$;
DROP INDEX IF EXISTS synced_records_connection_page_idx;
