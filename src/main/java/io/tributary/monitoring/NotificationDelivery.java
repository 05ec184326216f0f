package io.tributary.monitoring;

import io.tributary.platform.InstanceIdentity;
import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Sends the outbox's notifications, on whichever instance claims them. A claim is one statement,
 * {@code UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)}, so two instances never claim the
 * same row; the claim carries a lease ({@code claimed_until}), after which a row whose instance died
 * mid-send is claimed again (at-least-once: a crash between the receiver's 2xx and our update
 * resends).
 *
 * <p>A failed attempt is retried after {@code alerts.notify.backoff.base.seconds} × 2ⁿ⁻¹ (capped at
 * {@code alerts.notify.backoff.max.seconds}); after {@code alerts.notify.max.attempts}, or at once
 * for a 4xx other than 408/429 (the URL is wrong or revoked), the row is {@code failed}, which the
 * {@code notification_failure} alert reports. Runs on timer and executor threads only, never on a
 * sync's.
 */
@ApplicationScoped
public class NotificationDelivery {

  private static final Logger LOG = Logger.getLogger(NotificationDelivery.class.getName());
  static final int BATCH = 10;

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;
  @Inject MonitoringSettings settings;
  @Inject InstanceIdentity instance;

  HttpClient http;

  /** What one delivery pass did, by outcome. */
  public record Outcomes(int delivered, int retrying, int failed, int cancelled) {
    public Outcomes plus(Outcomes o) {
      return new Outcomes(delivered + o.delivered, retrying + o.retrying, failed + o.failed, cancelled + o.cancelled);
    }
  }

  /** A claimed notification. */
  record Claimed(long id, String channel, String payload, int attempts, String claim) {}

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(settings.notifyTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return http;
  }

  /**
   * Sends every due notification (in batches) and returns what happened to them. Outside any
   * transaction: each claim and each completion commits on its own, and no lock is held while a
   * receiver answers.
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public Outcomes deliverDue() {
    Outcomes total = new Outcomes(0, 0, 0, 0);
    while (true) {
      List<Claimed> batch = claim(clock.instant());
      if (batch.isEmpty()) {
        return total;
      }
      for (Claimed n : batch) {
        total = total.plus(send(n));
      }
    }
  }

  /** Claims up to {@link #BATCH} due notifications for this instance, in one atomic statement. */
  List<Claimed> claim(Instant now) {
    String claim = instanceName() + "#" + UUID.randomUUID();
    List<Claimed> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitoring_notifications SET status = 'sending', claimed_by = ?, claimed_until = ?,"
                  + " attempts = attempts + 1 WHERE id IN (SELECT id FROM monitoring_notifications"
                  + " WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)"
                  + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)")) {
        ps.setString(1, claim);
        // Long enough for the whole batch to time out one by one, with a margin.
        Sql.setInstant(ps, 2, now.plus(settings.notifyTimeout.multipliedBy(2L * BATCH)).plusSeconds(30));
        Sql.setInstant(ps, 3, now);
        Sql.setInstant(ps, 4, now);
        ps.setInt(5, BATCH);
        if (ps.executeUpdate() == 0) {
          return out;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, channel, payload, attempts FROM monitoring_notifications WHERE claimed_by = ? AND status = 'sending' ORDER BY id")) {
        ps.setString(1, claim);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), claim));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Claiming notifications failed: " + e.getMessage(), e);
    }
  }

  private String instanceName() {
    return instance == null ? "local" : instance.id();
  }

  Outcomes send(Claimed n) {
    Optional<URI> url = settings.channelUrl(n.channel());
    if (url.isEmpty()) {
      complete(n, "cancelled", null, null);
      return new Outcomes(0, 0, 0, 1);
    }
    String error;
    boolean permanent = false;
    try {
      HttpResponse<Void> r =
          http()
              .send(
                  HttpRequest.newBuilder(url.get())
                      .timeout(settings.notifyTimeout)
                      .header("Content-Type", "application/json")
                      .header("User-Agent", "tributary-alerts")
                      .POST(HttpRequest.BodyPublishers.ofString(n.payload()))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      int status = r.statusCode();
      if (status >= 200 && status < 300) {
        complete(n, "delivered", null, null);
        return new Outcomes(1, 0, 0, 0);
      }
      error = "HTTP " + status;
      permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    } catch (IOException e) {
      // Never the URL in the error: a Slack webhook URL is its own credential.
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(url.get().toString(), "<url>"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    }
    error = AlertStore.shorten(error, 500);
    if (permanent || n.attempts() >= settings.notifyMaxAttempts) {
      LOG.warning("Alert notification " + n.id() + " to " + n.channel() + " given up after " + n.attempts() + " attempt(s): " + error);
      complete(n, "failed", error, null);
      return new Outcomes(0, 0, 1, 0);
    }
    complete(n, "pending", error, clock.instant().plus(backoff(n.attempts(), settings.notifyBackoffBase, settings.notifyBackoffMax)));
    return new Outcomes(0, 1, 0, 0);
  }

  /** Wait before attempt n + 1: base × 2ⁿ⁻¹, at most max. */
  static Duration backoff(int attempts, Duration base, Duration max) {
    Duration d = base.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
    return d.compareTo(max) > 0 ? max : d;
  }

  private void complete(Claimed n, String status, String error, Instant next) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE monitoring_notifications SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),"
                    + " delivered_at = ?, claimed_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'sending'")) {
      ps.setString(1, status);
      ps.setString(2, error);
      Sql.setInstant(ps, 3, next);
      Sql.setInstant(ps, 4, "delivered".equals(status) ? now : null);
      ps.setLong(5, n.id());
      ps.setString(6, n.claim());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Recording notification " + n.id() + " failed: " + e.getMessage(), e);
    }
  }
}
