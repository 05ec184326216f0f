package io.tributary.platform.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The one source of "now": inject {@link Clock} wherever time matters so tests can move it. */
@ApplicationScoped
public class ClockProducer {
  // Dependent scope: java.time.Clock cannot be proxied; the instance itself is immutable and shared.
  @Produces
  Clock clock() {
    return Clock.systemUTC();
  }
}
