package io.tributary.dashboard;

import io.tributary.connections.ConnectionView;
import java.util.Arrays;
import java.util.Optional;

/**
 * A connection's health as the dashboard shows and filters it. The four states partition the
 * connections: {@code active} and {@code failing} split the stored status {@code active} by {@code
 * consecutive_failures} (0, or more), {@code needs_reauth} and {@code disabled} are stored statuses.
 */
public enum HealthState {
  ACTIVE("active", "Active", "status = 'active' AND consecutive_failures = 0"),
  FAILING("failing", "Failing", "status = 'active' AND consecutive_failures > 0"),
  NEEDS_REAUTH("needs_reauth", "Needs re-auth", "status = 'needs_reauth'"),
  DISABLED("disabled", "Disabled", "status = 'disabled'");

  private final String id;
  private final String label;
  // Constants written into the SQL, not bound as parameters: PostgreSQL uses a partial index only
  // when it can prove the query implies the index's predicate, which needs literal values.
  private final String condition;

  HealthState(String id, String label, String condition) {
    this.id = id;
    this.label = label;
    this.condition = condition;
  }

  public String id() {
    return id;
  }

  public String label() {
    return label;
  }

  /** The SQL condition on {@code connections} (unqualified columns) selecting this state. */
  String condition() {
    return condition;
  }

  public static Optional<HealthState> fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }

  /** The state of one connection. */
  public static HealthState of(ConnectionView c) {
    return switch (c.status()) {
      case "disabled" -> DISABLED;
      case "needs_reauth" -> NEEDS_REAUTH;
      default -> c.consecutiveFailures() > 0 ? FAILING : ACTIVE;
    };
  }
}
