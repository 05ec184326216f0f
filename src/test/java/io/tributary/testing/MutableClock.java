package io.tributary.testing;

import io.tributary.platform.time.UtcClock;
import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand, so time-dependent behaviour is tested without sleeping. */
public final class MutableClock extends UtcClock {
  private Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
