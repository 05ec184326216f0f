package io.tributary.connections;

import java.util.Arrays;
import java.util.Optional;

/** A connection's lifecycle state, as stored in {@code connections.status}. */
public enum ConnectionStatus {
  ACTIVE("active"),
  NEEDS_REAUTH("needs_reauth"),
  DISABLED("disabled");

  private final String id;

  ConnectionStatus(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<ConnectionStatus> fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }
}
