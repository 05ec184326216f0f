package io.tributary.dashboard;

import io.tributary.connections.ConnectionStatus;
import io.tributary.connections.ConnectionView;
import java.time.Instant;

/**
 * One row of the integrations table, every cell already written out and read by plain getters.
 *
 * <p>Why not the {@link ConnectionView} and {@code #{fmt.ago(c.lastSyncAt())}} in the page: EL 5
 * finds a method called with arguments by listing the class's public methods ({@code
 * Class.getMethods}) on every call, and looks a named bean up through CDI on every use of its name.
 * With some 25 such calls in each of 50 rows, they were 40% of the page's CPU under load; a getter
 * is resolved once per class and cached.
 */
public final class ConnectionRow {
  private final ConnectionView connection;
  private final HealthState state;
  private final String userHref;
  private final String providerLabel;
  private final TimeCell lastSync;
  private final TimeCell lastSuccess;
  private final String records;

  /**
   * @param userHref the link to the table filtered to the row's user
   * @param now the time the "ago" cells count from
   */
  ConnectionRow(ConnectionView c, String userHref, Instant now) {
    this.connection = c;
    this.state = HealthState.of(c);
    this.userHref = userHref;
    this.providerLabel = Labels.provider(c.provider());
    this.lastSync = new TimeCell(c.lastSyncAt(), now);
    this.lastSuccess = new TimeCell(c.lastSuccessAt(), now);
    this.records = Formats.formatCount(c.recordsCount());
  }

  public long getId() {
    return connection.id();
  }

  public String getUserId() {
    return connection.userId();
  }

  /** This page filtered to the row's user. */
  public String getUserHref() {
    return userHref;
  }

  public String getProviderLabel() {
    return providerLabel;
  }

  public String getStateId() {
    return state.id();
  }

  public String getStateLabel() {
    return state.label();
  }

  public int getConsecutiveFailures() {
    return connection.consecutiveFailures();
  }

  public TimeCell getLastSync() {
    return lastSync;
  }

  public TimeCell getLastSuccess() {
    return lastSuccess;
  }

  /** The last error, or a dash. */
  public String getLastError() {
    return connection.lastError() == null ? "—" : connection.lastError();
  }

  public String getRecords() {
    return records;
  }

  /** Only an active connection can be synced now (the others wait for a reconnect or an enable). */
  public boolean isSyncable() {
    return ConnectionStatus.ACTIVE.id().equals(connection.status());
  }

  public boolean isDisabled() {
    return ConnectionStatus.DISABLED.id().equals(connection.status());
  }
}
