package io.tributary.monitoring;

import static io.tributary.monitoring.MonitoringFixture.FIFTEEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.MapConfig;
import io.tributary.testing.MigratedPostgresql;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifications reach a real HTTP receiver (a JDK HttpServer on loopback standing in for Slack and
 * for the generic webhook): once when an alert opens, once when it resolves, never per evaluation nor
 * after a restart; retried with backoff on the moved clock; given up on (and reported by a {@code
 * notification_failure} alert) after the last attempt; never sent twice by instances delivering at once.
 */
class NotificationsTest {

  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  HttpServer receiver;
  final Map<String, List<String>> received = new ConcurrentHashMap<>();
  /** Statuses the receiver answers per path, in order; 200 once they run out. */
  final Map<String, ConcurrentLinkedQueue<Integer>> answers = new ConcurrentHashMap<>();
  MonitoringFixture f;
  MapConfig config;

  @BeforeEach
  void setUp() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (String path : List.of("/slack", "/hook")) {
      received.put(path, Collections.synchronizedList(new ArrayList<>()));
      answers.put(path, new ConcurrentLinkedQueue<>());
      receiver.createContext(
          path,
          exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.get(path).add(body);
            Integer status = answers.get(path).poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
          });
    }
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    config =
        new MapConfig()
            .with("alert.slack.webhook.url", base + "/slack")
            .with("alert.webhook.url", base + "/hook")
            .with("alerts.notify.max.attempts", "3")
            .with("alerts.notify.backoff.base.seconds", "10")
            .with("alerts.notify.timeout.seconds", "5");
    f = new MonitoringFixture(POSTGRES.dataSource(), NOW, config);
    f.reset();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  List<String> slack() {
    return List.copyOf(received.get("/slack"));
  }

  List<JsonObject> hook() {
    return received.get("/hook").stream().map(b -> Json.createReader(new StringReader(b)).readObject()).toList();
  }

  void failStreak() throws Exception {
    for (int i = 0; i < 3; i++) {
      f.run(FIFTEEN, NOW.minusSeconds(60 - i), "failure", 1000);
    }
  }

  @Test
  void oneNotificationPerChannelWhenAnAlertOpensAndOneWhenItResolves() throws Exception {
    failStreak();
    f.evaluator.evaluate("run-1");
    NotificationDelivery.Outcomes o = f.delivery.deliverDue();
    assertEquals(new NotificationDelivery.Outcomes(2, 0, 0, 0), o);
    assertEquals(1, slack().size());
    assertTrue(slack().get(0).contains("Opened") && slack().get(0).contains("consecutive_failures") && slack().get(0).contains(FIFTEEN), slack().get(0));
    JsonObject slackJson = Json.createReader(new StringReader(slack().get(0))).readObject();
    assertEquals(java.util.Set.of("text"), slackJson.keySet(), "Slack's incoming-webhook format");
    JsonObject opened = hook().get(0);
    assertEquals("opened", opened.getString("transition"));
    assertEquals("consecutive_failures", opened.getString("type"));
    assertEquals("critical", opened.getString("severity"));
    assertEquals(FIFTEEN, opened.getString("jobName"));
    assertEquals(3, opened.getInt("observedValue"));
    assertEquals(3, opened.getInt("threshold"));
    assertEquals(NOW.minusSeconds(60).toString(), opened.getString("since"));
    assertTrue(opened.getString("message").contains("last 3 executions failed"), opened.toString());

    // The condition still holds: more evaluations, a restart, more deliveries: nothing new.
    f.evaluator.evaluate("run-2");
    f.evaluator.evaluate(f.evaluator.tickKey(NOW));
    f.wire();
    f.evaluator.evaluate("run-3");
    assertEquals(new NotificationDelivery.Outcomes(0, 0, 0, 0), f.delivery.deliverDue());
    assertEquals(1, slack().size());
    assertEquals(1, hook().size());

    // Resolved by a success: one more per channel.
    f.clock.advance(Duration.ofMinutes(1));
    f.run(FIFTEEN, NOW.plusSeconds(30), "success", 1000);
    f.evaluator.evaluate("run-4");
    f.evaluator.evaluate("run-5");
    f.delivery.deliverDue();
    f.delivery.deliverDue();
    assertEquals(2, slack().size());
    assertTrue(slack().get(1).contains("Resolved"), slack().get(1));
    assertEquals(2, hook().size());
    JsonObject resolved = hook().get(1);
    assertEquals("resolved", resolved.getString("transition"));
    assertEquals(opened.getJsonNumber("id"), resolved.getJsonNumber("id"), "the same alert");
    assertEquals(NOW.plus(Duration.ofMinutes(1)).toString(), resolved.getString("resolvedAt"));
  }

  @Test
  void aFailedAttemptIsRetriedWithExponentialBackoffOnTheClock() throws Exception {
    answers.get("/hook").addAll(List.of(500, 503));
    failStreak();
    f.evaluator.evaluate("run-1");
    assertEquals(new NotificationDelivery.Outcomes(1, 1, 0, 0), f.delivery.deliverDue()); // slack ok, hook 500
    assertEquals(new NotificationDelivery.Outcomes(0, 0, 0, 0), f.delivery.deliverDue(), "not due before its backoff");
    f.clock.advance(Duration.ofSeconds(10)); // base × 2⁰
    assertEquals(new NotificationDelivery.Outcomes(0, 1, 0, 0), f.delivery.deliverDue()); // 503
    f.clock.advance(Duration.ofSeconds(19));
    assertEquals(new NotificationDelivery.Outcomes(0, 0, 0, 0), f.delivery.deliverDue(), "second wait is 20 s");
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(new NotificationDelivery.Outcomes(1, 0, 0, 0), f.delivery.deliverDue());
    assertEquals(3, hook().size());
    assertEquals(1, hook().stream().map(JsonObject::toString).distinct().count(), "the same payload each time");
    assertEquals(1, slack().size());
    assertEquals(2, f.count("SELECT COUNT(*) FROM monitoring_notifications WHERE status = 'delivered'"));
  }

  @Test
  void anUndeliverableNotificationRaisesANotificationFailureAlertUntilTheChannelWorksAgain() throws Exception {
    answers.get("/hook").addAll(List.of(500, 500, 500, 500, 500));
    failStreak();
    f.evaluator.evaluate("run-1");
    f.delivery.deliverDue();
    f.clock.advance(Duration.ofSeconds(10));
    f.delivery.deliverDue();
    f.clock.advance(Duration.ofSeconds(20));
    assertEquals(new NotificationDelivery.Outcomes(0, 0, 1, 0), f.delivery.deliverDue(), "third attempt was the last");
    assertEquals(3, hook().size());
    assertEquals(1, f.queries.channels().get(0).undeliverable());

    AlertEvaluator.Transitions t = f.evaluator.evaluate("tick-1");
    assertEquals(List.of("notification_failure:webhook"), t.opened().stream().map(StoredAlert::key).toList());
    StoredAlert failure = t.opened().get(0);
    assertEquals("channel", failure.subjectKind());
    assertTrue(failure.message().contains("HTTP 500") && failure.message().contains("ALERT_WEBHOOK_URL"), failure.message());
    // Slack hears about it; the webhook's own copy is retried and, now that it works, delivered.
    f.delivery.deliverDue(); // slack: delivered; hook: 500 (the fourth)
    assertTrue(slack().stream().anyMatch(s -> s.contains("notification_failure")), slack().toString());
    f.clock.advance(Duration.ofSeconds(10));
    f.delivery.deliverDue(); // hook: 500 (the fifth)
    f.clock.advance(Duration.ofSeconds(20));
    f.delivery.deliverDue(); // hook: 200
    assertTrue(hook().get(hook().size() - 1).getString("type").equals("notification_failure"));
    // A later delivery succeeded on the channel: the failure alert resolves.
    t = f.evaluator.evaluate("tick-2");
    assertEquals(List.of("notification_failure:webhook"), t.resolved().stream().map(StoredAlert::key).toList());
  }

  @Test
  void aClientErrorOtherThanTimeoutOrRateLimitIsNotRetried() throws Exception {
    answers.get("/slack").add(404); // a revoked Slack webhook answers 404 or 410
    failStreak();
    f.evaluator.evaluate("run-1");
    assertEquals(new NotificationDelivery.Outcomes(1, 0, 1, 0), f.delivery.deliverDue());
    f.clock.advance(Duration.ofHours(1));
    f.delivery.deliverDue();
    assertEquals(1, slack().size());
  }

  @Test
  void anUnreachableReceiverIsRetriedAndItsUrlNeverRecorded() throws Exception {
    receiver.stop(0); // connection refused
    failStreak();
    f.evaluator.evaluate("run-1");
    assertEquals(new NotificationDelivery.Outcomes(0, 2, 0, 0), f.delivery.deliverDue());
    assertEquals(
        2,
        f.count("SELECT COUNT(*) FROM monitoring_notifications WHERE status = 'pending' AND last_error IS NOT NULL AND last_error NOT LIKE '%127.0.0.1%'"),
        "retrying, and the error never carries the webhook URL");
  }

  @Test
  void instancesDeliveringAtOnceSendEachNotificationExactlyOnce() throws Exception {
    // 40 alerts' worth of notifications (80 rows), delivered by 4 instances racing.
    for (int i = 0; i < 40; i++) {
      long alert = alert(i);
      f.sql(
          "INSERT INTO monitoring_notifications (alert_id, channel, transition, payload, next_attempt_at, created_at)"
              + " VALUES (" + alert + ", 'webhook', 'opened', '{\"n\":" + i + "}', TIMESTAMP WITH TIME ZONE '2026-01-15 11:00:00+00',"
              + " TIMESTAMP WITH TIME ZONE '2026-01-15 11:00:00+00')");
      f.sql(
          "INSERT INTO monitoring_notifications (alert_id, channel, transition, payload, next_attempt_at, created_at)"
              + " VALUES (" + alert + ", 'slack', 'opened', '{\"text\":\"n" + i + "\"}', TIMESTAMP WITH TIME ZONE '2026-01-15 11:00:00+00',"
              + " TIMESTAMP WITH TIME ZONE '2026-01-15 11:00:00+00')");
    }
    int instances = 4;
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<NotificationDelivery.Outcomes>> results = new ArrayList<>();
    for (int k = 0; k < instances; k++) {
      MonitoringFixture instance = new MonitoringFixture(POSTGRES.dataSource(), NOW, config);
      results.add(pool.submit(() -> {
        go.await();
        return instance.delivery.deliverDue();
      }));
    }
    go.countDown();
    int delivered = 0;
    for (Future<NotificationDelivery.Outcomes> r : results) {
      delivered += r.get().delivered();
    }
    pool.shutdown();
    assertEquals(80, delivered);
    assertEquals(40, hook().size());
    assertEquals(40, hook().stream().map(o -> o.getInt("n")).distinct().count(), "no notification twice");
    assertEquals(40, slack().stream().distinct().count());
    assertEquals(40, slack().size());
  }

  /** One alert row per notification pair (the outbox's unique key is per alert, channel, transition). */
  private long alert(int i) throws Exception {
    f.sql(
        "INSERT INTO monitoring_alerts (alert_type, subject_kind, subject, severity, status, message, since, opened_at, last_seen_at)"
            + " VALUES ('needs_reauth', 'provider', 'p" + i + "', 'warning', 'resolved', 'm', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
    return f.count("SELECT MAX(id) FROM monitoring_alerts");
  }

  @Test
  void aClaimLeftBehindByADeadInstanceIsSentByAnother() throws Exception {
    failStreak();
    f.evaluator.evaluate("run-1");
    // An instance claimed both and died before sending.
    assertEquals(2, f.delivery.claim(NOW).size());
    assertEquals(new NotificationDelivery.Outcomes(0, 0, 0, 0), f.delivery.deliverDue(), "still claimed");
    f.clock.advance(Duration.ofMinutes(10));
    assertEquals(new NotificationDelivery.Outcomes(2, 0, 0, 0), new MonitoringFixture(POSTGRES.dataSource(), f.clock.instant(), config).delivery.deliverDue());
    assertEquals(1, slack().size());
    assertEquals(1, hook().size());
  }

  @Test
  void aChannelRemovedFromTheConfigurationCancelsItsPendingNotifications() throws Exception {
    failStreak();
    f.evaluator.evaluate("run-1");
    MonitoringFixture withoutSlack =
        new MonitoringFixture(POSTGRES.dataSource(), NOW, new MapConfig().with("alert.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
    assertEquals(new NotificationDelivery.Outcomes(1, 0, 0, 1), withoutSlack.delivery.deliverDue());
    assertEquals(0, slack().size());
  }
}
