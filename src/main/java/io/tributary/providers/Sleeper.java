package io.tributary.providers;

import java.time.Duration;

/** Waiting, behind an interface so tests record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
