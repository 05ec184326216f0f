package io.tributary.dashboard;

import io.tributary.connections.ConnectionStatus;
import io.tributary.connections.ConnectionView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
  private final String lastSyncIso;
  private final String lastSyncTime;
  private final String lastSyncAgo;
  private final String lastSuccessIso;
  private final String lastSuccessTime;
  private final String lastSuccessAgo;
  private final String records;

  /**
   * @param contextPath the application's context path, for the links
   * @param now the time the "ago" cells count from
   */
  ConnectionRow(ConnectionView c, String contextPath, Instant now) {
    this.connection = c;
    this.state = HealthState.of(c);
    this.userHref = contextPath + "/dashboard/integrations?user=" + URLEncoder.encode(c.userId(), StandardCharsets.UTF_8);
    this.providerLabel = Labels.provider(c.provider());
    this.lastSyncIso = Formats.formatIso(c.lastSyncAt());
    this.lastSyncTime = Formats.formatTime(c.lastSyncAt());
    this.lastSyncAgo = Formats.formatAgo(c.lastSyncAt(), now);
    this.lastSuccessIso = Formats.formatIso(c.lastSuccessAt());
    this.lastSuccessTime = Formats.formatTime(c.lastSuccessAt());
    this.lastSuccessAgo = Formats.formatAgo(c.lastSuccessAt(), now);
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

  public String getLastSyncIso() {
    return lastSyncIso;
  }

  public String getLastSyncTime() {
    return lastSyncTime;
  }

  public String getLastSyncAgo() {
    return lastSyncAgo;
  }

  public String getLastSuccessIso() {
    return lastSuccessIso;
  }

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public String getLastSuccessAgo() {
    return lastSuccessAgo;
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
