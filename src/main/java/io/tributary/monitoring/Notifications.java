package io.tributary.monitoring;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.database.Sql;
import jakarta.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The notification outbox's write side and payloads. A transition (opened / resolved) is written as
 * one row per configured channel, in the same transaction that changes the alert, so a notification
 * exists if and only if the transition happened; {@link NotificationDelivery} sends them later.
 *
 * <ul>
 *   <li>{@code slack}: a Slack incoming webhook ({@code ALERT_SLACK_WEBHOOK_URL}), Slack's message
 *       format {@code {"text": …}};
 *   <li>{@code webhook}: a generic JSON webhook ({@code ALERT_WEBHOOK_URL}): the alert's fields plus
 *       {@code "transition": "opened" | "resolved"} and {@code "at"}.
 * </ul>
 */
final class Notifications {
  private Notifications() {}

  static final String SLACK = "slack";
  static final String WEBHOOK = "webhook";
  static final List<String> CHANNELS = List.of(SLACK, WEBHOOK);

  static final String OPENED = "opened";
  static final String RESOLVED = "resolved";

  /** Queues one notification per configured channel for this transition; returns how many. */
  static int enqueue(Connection c, MonitoringSettings settings, StoredAlert alert, String transition, Instant now)
      throws SQLException {
    int queued = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO monitoring_notifications (alert_id, channel, transition, payload, status, attempts,"
                + " next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING")) {
      for (String channel : CHANNELS) {
        Optional<URI> url = settings.channelUrl(channel);
        if (url.isEmpty()) {
          continue;
        }
        ps.setLong(1, alert.id());
        ps.setString(2, channel);
        ps.setString(3, transition);
        ps.setString(4, payload(channel, alert, transition, now));
        Sql.setInstant(ps, 5, now);
        Sql.setInstant(ps, 6, now);
        queued += ps.executeUpdate();
      }
    }
    return queued;
  }

  static String payload(String channel, StoredAlert alert, String transition, Instant at) {
    return SLACK.equals(channel) ? slack(alert, transition).toString() : webhook(alert, transition, at).toString();
  }

  static JsonObject webhook(StoredAlert alert, String transition, Instant at) {
    return alert.json().add("transition", transition).add("at", at.toString()).build();
  }

  static JsonObject slack(StoredAlert alert, String transition) {
    String icon =
        RESOLVED.equals(transition)
            ? ":white_check_mark:"
            : AlertRules.CRITICAL.equals(alert.severity()) ? ":red_circle:" : ":warning:";
    String text =
        icon + " *" + (RESOLVED.equals(transition) ? "Resolved" : "Opened") + "* "
            + alert.severity().toUpperCase(Locale.ROOT) + " `" + alert.type() + "` on *" + escape(alert.subject()) + "*\n"
            + escape(alert.message())
            + "\nSince " + alert.since() + (RESOLVED.equals(transition) && alert.resolvedAt() != null ? ", resolved " + alert.resolvedAt() : "")
            + " · alert " + alert.id();
    return JSON.createObjectBuilder().add("text", text).build();
  }

  /** Slack's mrkdwn control characters. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
