package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.connections.ConnectionView;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A connection's health in words: active, failing, needs re-auth, disabled. */
class HealthStateTest {

  static ConnectionView c(String status, int failures) {
    return new ConnectionView(1, "u", "slack", status, null, null, null, null, null, null, null, failures, 0, 0, null);
  }

  @Test
  void statesFollowStatusThenFailures() {
    assertEquals(HealthState.ACTIVE, HealthState.of(c("active", 0)));
    assertEquals(HealthState.FAILING, HealthState.of(c("active", 1)));
    assertEquals(HealthState.NEEDS_REAUTH, HealthState.of(c("needs_reauth", 3)));
    assertEquals(HealthState.DISABLED, HealthState.of(c("disabled", 5)));
  }

  @Test
  void idsAndLabelsAreText() {
    assertEquals(Optional.of(HealthState.FAILING), HealthState.fromId("failing"));
    assertEquals(Optional.empty(), HealthState.fromId("Failing"));
    assertEquals("Needs re-auth", HealthState.NEEDS_REAUTH.label());
  }
}
