package io.tributary.security;

import io.tributary.testing.MigratedPostgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.platform.web.ApiException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AdminAccountsBehaviour} on PostgreSQL (on the test run's PostgreSQL, never skipped),
 * plus the race only a real lock can decide: two admins removing each other at once.
 */
class AdminAccountsPostgresqlTest extends AdminAccountsBehaviour {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Override
  DataSource emptyDatabase() throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE admin_users");
    }
    return POSTGRES.dataSource();
  }

  @Test
  void twoConcurrentRemovalsNeverLeaveZeroAdmins() throws Exception {
    accounts.create("alice", PASSWORD);
    accounts.create("bob", PASSWORD);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch aliceRemoved = new CountDownLatch(1);
      CountDownLatch commitAlice = new CountDownLatch(1);
      Future<Object> first =
          threads.submit(
              () ->
                  transactions.inTransaction(
                      () -> {
                        accounts.remove("alice");
                        aliceRemoved.countDown();
                        commitAlice.await(30, TimeUnit.SECONDS);
                        return null;
                      }));
      aliceRemoved.await(30, TimeUnit.SECONDS);
      Future<Throwable> second =
          threads.submit(
              () -> {
                try {
                  transactions.inTransaction(
                      () -> {
                        accounts.remove("bob");
                        return null;
                      });
                  return null;
                } catch (Exception e) {
                  return e;
                }
              });
      // The second removal must be waiting for the first one's row locks before that commits;
      // without the lock it would see both admins and remove bob too.
      awaitABlockedSession();
      commitAlice.countDown();
      assertNull(first.get(30, TimeUnit.SECONDS));
      Throwable refused = second.get(30, TimeUnit.SECONDS);
      assertEquals(409, assertInstanceOf(ApiException.class, refused).status());
      assertEquals(List.of("bob"), accounts.usernames());
    } finally {
      threads.shutdownNow();
    }
  }

  private static void awaitABlockedSession() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      try (Connection c = POSTGRES.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity"
                      + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
        if (rs.next() && rs.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the second removal never waited for the first one's lock");
  }
}
