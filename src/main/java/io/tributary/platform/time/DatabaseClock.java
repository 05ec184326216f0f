package io.tributary.platform.time;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * "Now" as the database sees it, for leases and heartbeats. Every instance then compares leases
 * against one clock, so a host whose wall clock jumps (an NTP step, a VM resumed, a mistaken
 * {@code date -s}) or drifts neither takes over live leases nor declares a live run dead.
 *
 * <p>The database's time is read once a minute and carried forward in between with the monotonic
 * {@link System#nanoTime()}: a jump of this host's wall clock does not move it at all, and a lease
 * costs no extra round trip. When the database cannot be read it keeps extrapolating the last
 * reading (or starts from the host's clock) and tries again after a few seconds.
 */
public final class DatabaseClock extends UtcClock {

  private static final Logger LOG = Logger.getLogger(DatabaseClock.class.getName());
  static final Duration RECALIBRATE = Duration.ofMinutes(1);
  static final Duration RETRY = Duration.ofSeconds(5);

  /** A reading of the database's time and the monotonic time it was taken at. */
  private record Anchor(Instant database, long nanos, long nextReadNanos) {}

  private final DataSource dataSource;
  private final LongSupplier nanoTime;
  private volatile Anchor anchor;

  public DatabaseClock(DataSource dataSource) {
    this(dataSource, System::nanoTime);
  }

  DatabaseClock(DataSource dataSource, LongSupplier nanoTime) {
    this.dataSource = dataSource;
    this.nanoTime = nanoTime;
  }

  @Override
  public Instant instant() {
    Anchor a = anchor;
    long now = nanoTime.getAsLong();
    if (a == null || now - a.nextReadNanos >= 0) {
      a = read(a);
    }
    return a.database.plusNanos(now - a.nanos);
  }

  private synchronized Anchor read(Anchor seen) {
    if (anchor != seen) {
      return anchor; // another thread read it meanwhile
    }
    long before = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
      rs.next();
      Instant database = rs.getObject(1, OffsetDateTime.class).toInstant();
      long after = nanoTime.getAsLong();
      long mid = before + (after - before) / 2; // the reading is best placed halfway through the round trip
      anchor = new Anchor(database, mid, mid + RECALIBRATE.toNanos());
    } catch (SQLException | RuntimeException e) {
      LOG.fine(() -> "Could not read the database's time (" + e.getMessage() + "); trying again in " + RETRY.toSeconds() + " s");
      Anchor fallback = seen != null ? seen : new Anchor(Instant.now(), before, before);
      anchor = new Anchor(fallback.database, fallback.nanos, before + RETRY.toNanos());
    }
    return anchor;
  }
}
