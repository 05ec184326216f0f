package io.tributary.security;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.platform.time.DatabaseTime;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Slows down password guessing on the dashboard's login form.
 *
 * <ul>
 *   <li>Every failed login is answered no sooner than {@link #FAILURE_ANSWER_TIME} after it
 *       arrived, whatever the reason (unknown admin, wrong password, blocked address): the answer
 *       and its timing say nothing about which admins exist.
 *   <li>A client address with {@link #MAX_FAILURES} failures within {@link #WINDOW} is blocked
 *       until the oldest of them leaves the window: its attempts are then refused without checking
 *       the password (and count as failures). Counting by address rather than by username keeps an
 *       attacker from locking the real admin out by guessing at its name (behind a reverse proxy
 *       every client shares the proxy's address; the limit then applies to all of them together).
 * </ul>
 *
 * The failures are in the database ({@code login_failures}), shared by every instance: behind a
 * load balancer, N instances do not give an attacker N times the guesses, and a restart forgets
 * nothing. Their times are the database's ({@link DatabaseTime}). At most the newest {@link
 * #MAX_FAILURES} rows are kept per address, and rows older than the window are deleted on the next
 * failure. When the database cannot be reached the throttle lets the attempt through: the admin
 * accounts are in the same database, so the login fails anyway.
 */
@ApplicationScoped
public class LoginThrottle {
  private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());

  static final Duration FAILURE_ANSWER_TIME = Duration.ofSeconds(1);
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_ADDRESS_LENGTH = 255;

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  // The database's time, as for leases: one host's clock jumping ahead would otherwise expire
  // (and delete) every instance's failures.
  @Inject @DatabaseTime Clock clock;

  public LoginThrottle() {}

  LoginThrottle(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** How long {@code address} must wait before it may try again; empty when it may try now. */
  public Optional<Duration> blockedFor(String address) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection()) {
      Instant oldestCounted = oldestOfNewest(c, key(address), now);
      return oldestCounted == null ? Optional.empty() : Optional.of(Duration.between(now, oldestCounted.plus(WINDOW)));
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Login throttle unavailable (database): " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A failed attempt from {@code address}.
   *
   * @return whether this failure blocks the address (it is the {@link #MAX_FAILURES}th in the window)
   */
  public boolean failed(String address) {
    Instant now = clock.instant();
    String key = key(address);
    try (Connection c = dataSource.getConnection()) {
      boolean blocks;
      try (PreparedStatement purge = c.prepareStatement("DELETE FROM login_failures WHERE failed_at <= ?")) {
        Sql.setInstant(purge, 1, now.minus(WINDOW));
        purge.executeUpdate();
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO login_failures (address, failed_at) VALUES (?, ?)")) {
        insert.setString(1, key);
        Sql.setInstant(insert, 2, now);
        insert.executeUpdate();
      }
      try (PreparedStatement count =
          c.prepareStatement("SELECT COUNT(*) FROM login_failures WHERE address = ? AND failed_at > ?")) {
        count.setString(1, key);
        Sql.setInstant(count, 2, now.minus(WINDOW));
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          // Counted before the trim: an address already blocked has MAX_FAILURES + 1 here, so only
          // the failure that blocks it says so. (Concurrent failures from several instances may
          // both see MAX_FAILURES; the answer only decides whether the block is logged.)
          blocks = rs.getInt(1) == MAX_FAILURES;
        }
      }
      // Only the newest MAX_FAILURES decide (see blockedFor): older rows of the address go.
      try (PreparedStatement trim =
          c.prepareStatement(
              "DELETE FROM login_failures WHERE address = ? AND id NOT IN"
                  + " (SELECT id FROM login_failures WHERE address = ? ORDER BY failed_at DESC, id DESC LIMIT "
                  + MAX_FAILURES + ")")) {
        trim.setString(1, key);
        trim.setString(2, key);
        trim.executeUpdate();
      }
      return blocks;
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Login throttle could not record a failure (database): " + e.getMessage());
      return false;
    }
  }

  /** A successful login from {@code address}: its failures are forgotten. */
  public void succeeded(String address) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM login_failures WHERE address = ?")) {
      ps.setString(1, key(address));
      ps.executeUpdate();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Login throttle could not forget failures (database): " + e.getMessage());
    }
  }

  /** How long to wait still, so that a failure answered now took {@link #FAILURE_ANSWER_TIME}. */
  static Duration remainingPause(Duration elapsed) {
    Duration rest = FAILURE_ANSWER_TIME.minus(elapsed);
    return rest.isNegative() ? Duration.ZERO : rest;
  }

  /**
   * The oldest of the address's newest {@link #MAX_FAILURES} failures in the window, when there are
   * that many (the address is blocked until it leaves the window); otherwise null.
   */
  private static Instant oldestOfNewest(Connection c, String key, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT failed_at FROM login_failures WHERE address = ? AND failed_at > ?"
                + " ORDER BY failed_at DESC, id DESC LIMIT 1 OFFSET " + (MAX_FAILURES - 1))) {
      ps.setString(1, key);
      Sql.setInstant(ps, 2, now.minus(WINDOW));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Sql.instant(rs, 1) : null;
      }
    }
  }

  private static String key(String address) {
    String a = address == null ? "" : address;
    return a.length() > MAX_ADDRESS_LENGTH ? a.substring(0, MAX_ADDRESS_LENGTH) : a;
  }
}
