package io.tributary.platform.time;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that only tells the instant: everything in Tributary is UTC, so the zone is fixed. */
public abstract class UtcClock extends Clock {

  @Override
  public final ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public final Clock withZone(ZoneId zone) {
    return this;
  }
}
