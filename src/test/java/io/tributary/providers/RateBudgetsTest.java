package io.tributary.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateBudgetsTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
  final RateBudgets budgets = new RateBudgets(Map.of(Provider.GOOGLE_CALENDAR, 4.0), clock);
  final Duration bound = Duration.ofSeconds(30);

  @Test
  void aBurstOfOneSecondThenOneSlotPerRequest() {
    for (int i = 0; i < 4; i++) {
      assertEquals(Duration.ZERO, budgets.reserve(Provider.GOOGLE_CALENDAR, bound), "burst " + i);
    }
    assertEquals(Duration.ZERO, budgets.reserve(Provider.GOOGLE_CALENDAR, bound));
    assertEquals(Duration.ofMillis(250), budgets.reserve(Provider.GOOGLE_CALENDAR, bound));
    assertEquals(Duration.ofMillis(500), budgets.reserve(Provider.GOOGLE_CALENDAR, bound));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(Duration.ZERO, budgets.reserve(Provider.GOOGLE_CALENDAR, bound), "idle time refills");
  }

  @Test
  void aWaitBeyondTheBoundDefersInsteadOfWaiting() {
    for (int i = 0; i < 8; i++) {
      budgets.reserve(Provider.GOOGLE_CALENDAR, bound);
    }
    ProviderException e =
        assertThrows(ProviderException.class, () -> budgets.reserve(Provider.GOOGLE_CALENDAR, Duration.ofMillis(100)));
    assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
    assertEquals(clock.instant().plusMillis(1000), e.retryAt());
  }

  @Test
  void aSharedLimitSignalPausesEveryCaller() {
    budgets.pause(Provider.GOOGLE_CALENDAR, clock.instant().plusSeconds(20));
    assertEquals(Duration.ofSeconds(20), budgets.reserve(Provider.GOOGLE_CALENDAR, bound));
    assertThrows(ProviderException.class, () -> budgets.reserve(Provider.GOOGLE_CALENDAR, Duration.ofSeconds(5)));
  }

  @Test
  void providersWithoutASharedLimitAreNeverHeldBack() {
    for (int i = 0; i < 1000; i++) {
      assertEquals(Duration.ZERO, budgets.reserve(Provider.GITHUB, Duration.ZERO));
    }
  }
}
