package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The login form's throttle, on a moved clock. */
class LoginThrottleTest {

  final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
  final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void anAddressIsBlockedAfterTenFailuresUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
      throttle.failed("10.0.0.1");
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
    throttle.failed("10.0.0.1");
    assertEquals(Optional.empty(), throttle.blockedFor("10.0.0.1"));
  }

  @Test
  void theNumberOfTrackedAddressesIsBounded() {
    for (int i = 0; i < LoginThrottle.MAX_TRACKED + 50; i++) {
      throttle.failed("10.1." + (i / 256) + "." + (i % 256));
    }
    assertEquals(LoginThrottle.MAX_TRACKED, throttle.tracked());
  }

  @Test
  void everyFailureIsPaddedToTheSameAnswerTime() {
    assertEquals(LoginThrottle.FAILURE_ANSWER_TIME, LoginThrottle.remainingPause(Duration.ZERO));
    assertEquals(
        LoginThrottle.FAILURE_ANSWER_TIME.minusMillis(130),
        LoginThrottle.remainingPause(Duration.ofMillis(130)));
    assertEquals(Duration.ZERO, LoginThrottle.remainingPause(Duration.ofSeconds(3)));
  }
}
