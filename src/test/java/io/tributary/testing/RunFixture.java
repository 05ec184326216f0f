package io.tributary.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The smallest run there is: three active GitHub connections (ids 1–3) and one running execution. */
public final class RunFixture {
  private RunFixture() {}

  /** Empties the run and connection tables, inserts the fixture, and returns the execution's id. */
  public static long threeConnectionsAndARunningExecution(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution_chunks, cron_job_executions, synced_records, sync_cursors, connections, app_users CASCADE");
      s.execute("INSERT INTO app_users (id, external_id) VALUES (1, 'u1'), (2, 'u2'), (3, 'u3')");
      s.execute("INSERT INTO connections (id, user_id, provider, status, access_token_enc)"
          + " VALUES (1, 1, 'github', 'active', 'x'), (2, 2, 'github', 'active', 'x'), (3, 3, 'github', 'active', 'x')");
      s.execute("INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, status, instance_id)"
          + " VALUES ('sync-integrations-15min', '15min', 'manual', TIMESTAMP WITH TIME ZONE '2026-01-15 10:00:00+00',"
          + " TIMESTAMP WITH TIME ZONE '2026-01-15 10:00:00+00', 'running', 'node-a')");
      try (ResultSet rs = s.executeQuery("SELECT id FROM cron_job_executions")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
