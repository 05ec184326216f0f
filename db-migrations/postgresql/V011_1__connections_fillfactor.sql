-- Tributary schema 11.1 (PostgreSQL only: H2 has no storage parameters, and the embedded database is
-- small): room on every page of connections for the next version of its rows.
--
-- A sync updates its connection's row twice: the lease, then the outcome. The lease changes no
-- indexed column, so PostgreSQL can write it as a HOT update, touching no index, but only when the
-- new version fits on the same page. At the default fillfactor (100) a bulk-loaded or settled page is
-- full, the new version goes to another page, and every index of the table gets a new entry, which a
-- vacuum must later remove again. Pages written from now on keep 30% free; VACUUM FULL (or
-- pg_repack) rewrites the existing ones.
ALTER TABLE connections SET (fillfactor = 70);
