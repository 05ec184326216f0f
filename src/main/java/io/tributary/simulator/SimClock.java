package io.tributary.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The simulator's notion of "now": item update times, token expiry, sync-token and rate-limit
 * windows. It follows the system UTC clock until a test calls {@link #set} or {@link #advance};
 * from then on it stands still except when moved, so tests move time instead of sleeping.
 *
 * <p>Times are truncated to milliseconds, the finest precision any of the four providers shows.
 */
public final class SimClock {
  private final Clock system = Clock.systemUTC();
  private Instant fixed; // null while following the system clock; guarded by this

  /** The current instant, in milliseconds. */
  public synchronized Instant now() {
    Instant now = fixed != null ? fixed : system.instant();
    return now.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Freezes the clock at {@code instant}. */
  public synchronized void set(Instant instant) {
    fixed = Objects.requireNonNull(instant, "instant").truncatedTo(ChronoUnit.MILLIS);
  }

  /** Moves the clock forward (or back, for a negative duration) and freezes it there. */
  public synchronized void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    fixed = now().plus(duration).truncatedTo(ChronoUnit.MILLIS);
  }

  /** Follows the system clock again. */
  public synchronized void useSystemClock() {
    fixed = null;
  }
}
