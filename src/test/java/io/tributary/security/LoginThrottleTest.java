package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Databases;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The login form's throttle, on a moved clock, on PostgreSQL and on the embedded H2. */
class LoginThrottleTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Nested
  class OnPostgresql extends Contract {
    @Override
    DataSource dataSource() {
      return POSTGRES.dataSource();
    }
  }

  @Nested
  class OnH2 extends Contract {
    final DataSource h2 = Databases.migratedH2();

    @Override
    DataSource dataSource() {
      return h2;
    }
  }

  abstract static class Contract {
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
    LoginThrottle throttle;

    abstract DataSource dataSource();

    @BeforeEach
    void emptyTable() throws SQLException {
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM login_failures");
      }
      throttle = new LoginThrottle(dataSource(), clock);
    }

    @Test
    void anAddressIsBlockedAfterTenFailuresUntilTheOldestLeavesTheWindow() {
      for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
        assertFalse(throttle.failed("10.0.0.1"));
        clock.advance(Duration.ofSeconds(10));
      }
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"), "nine failures are allowed");
      assertTrue(throttle.failed("10.0.0.1"), "the tenth failure blocks");
      // The first failure was 90 s ago: blocked for the rest of its 15 minutes.
      assertEquals(Optional.of(Duration.ofMinutes(15).minusSeconds(90)), throttle.blockedFor("10.0.0.1"));
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.2"), "other addresses are not affected");
      clock.advance(Duration.ofMinutes(15).minusSeconds(90));
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"), "free once the oldest failure expired");
    }

    @Test
    void attemptsWhileBlockedCountSoTheBlockSlides() {
      for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
        throttle.failed("10.0.0.1");
      }
      clock.advance(Duration.ofMinutes(10));
      assertFalse(throttle.failed("10.0.0.1"), "already blocked: not logged again");
      // The newest ten now run from the second failure (at 0) to this one (at 10 min).
      assertEquals(Optional.of(Duration.ofMinutes(5)), throttle.blockedFor("10.0.0.1"));
      clock.advance(Duration.ofMinutes(5));
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"));
    }

    @Test
    void everyInstanceSeesTheSameFailures() {
      LoginThrottle other = new LoginThrottle(dataSource(), clock);
      for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
        (i % 2 == 0 ? throttle : other).failed("10.0.0.1");
      }
      assertTrue(other.failed("10.0.0.1"), "the tenth failure, wherever it lands, blocks");
      assertTrue(throttle.blockedFor("10.0.0.1").isPresent());
      assertTrue(other.blockedFor("10.0.0.1").isPresent());
      throttle.succeeded("10.0.0.1");
      assertEquals(Optional.empty(), other.blockedFor("10.0.0.1"), "a success on one instance frees it on all");
    }

    @Test
    void aSuccessForgetsTheAddressesFailures() {
      for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
        throttle.failed("10.0.0.1");
      }
      assertTrue(throttle.blockedFor("10.0.0.1").isPresent());
      throttle.succeeded("10.0.0.1");
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"));
    }

    @Test
    void oldFailuresDoNotCount() {
      for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
        throttle.failed("10.0.0.1");
      }
      clock.advance(LoginThrottle.WINDOW);
      assertFalse(throttle.failed("10.0.0.1"));
      assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"));
    }

    @Test
    void theTableKeepsTenRowsPerAddressAndNothingOlderThanTheWindow() throws SQLException {
      for (int i = 0; i < 3 * LoginThrottle.MAX_FAILURES; i++) {
        throttle.failed("10.0.0.1");
      }
      for (int i = 0; i < 5; i++) {
        throttle.failed("10.0.0." + (100 + i));
      }
      assertEquals(LoginThrottle.MAX_FAILURES + 5, rows());
      clock.advance(LoginThrottle.WINDOW);
      throttle.failed("10.0.0.2");
      assertEquals(1, rows(), "the expired rows of every address are gone");
    }

    @Test
    void aVeryLongAddressIsCutToTheColumn() {
      String address = "x".repeat(1_000);
      for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
        throttle.failed(address);
      }
      assertTrue(throttle.blockedFor(address).isPresent());
    }

    int rows() throws SQLException {
      try (Connection c = dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM login_failures")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void everyFailureIsPaddedToTheSameAnswerTime() {
    assertEquals(LoginThrottle.FAILURE_ANSWER_TIME, LoginThrottle.remainingPause(Duration.ZERO));
    assertEquals(
        LoginThrottle.FAILURE_ANSWER_TIME.minusMillis(130),
        LoginThrottle.remainingPause(Duration.ofMillis(130)));
    assertEquals(Duration.ZERO, LoginThrottle.remainingPause(Duration.ofSeconds(3)));
  }

  @Test
  void withoutTheDatabaseTheThrottleLetsTheAttemptThroughAndSaysNothingIsBlocked() {
    DataSource down = new org.postgresql.ds.PGSimpleDataSource();
    ((org.postgresql.ds.PGSimpleDataSource) down).setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
    LoginThrottle t = new LoginThrottle(down, new MutableClock(Instant.parse("2025-01-15T10:00:00Z")));
    assertEquals(Optional.empty(), t.blockedFor("10.0.0.1"));
    assertFalse(t.failed("10.0.0.1"));
    t.succeeded("10.0.0.1");
  }
}
