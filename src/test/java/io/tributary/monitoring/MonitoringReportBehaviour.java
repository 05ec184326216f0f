package io.tributary.monitoring;

import static io.tributary.monitoring.MonitoringFixture.ALL;
import static io.tributary.monitoring.MonitoringFixture.FIFTEEN;
import static io.tributary.monitoring.MonitoringFixture.THIRTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MapConfig;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitoring JSON for a seeded history, field by field against figures computed by hand (in the
 * comments). Run on PostgreSQL and on H2, so the SQL is the same on both.
 */
abstract class MonitoringReportBehaviour {

  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

  abstract DataSource database();

  MonitoringFixture f;
  long e2, e3, e4, e5, e6, f1, f2, g1;

  static Instant at(String hhmm) {
    return Instant.parse("2026-01-15T" + hhmm + ":00Z");
  }

  @BeforeEach
  void seed() throws Exception {
    f = new MonitoringFixture(database(), NOW, new MapConfig().with("monitoring.recent.executions", "4"));
    f.reset();
    // 15-minute job. Outside the 24 h window (since 2026-01-14T12:00Z): one failure.
    f.execution(FIFTEEN, "schedule", Instant.parse("2026-01-14T11:00:00Z"), Instant.parse("2026-01-14T11:00:00Z"), "failure", 1000L, 0,
        "{\"github\":{\"syncs\":10,\"successes\":0,\"failures\":10,\"deferred\":0,\"averageDurationMs\":999,\"recordsChanged\":0,\"calls\":10}}");
    // In the window: success, partial (catch-up after 3 missed slots), failure, interrupted, running.
    e2 = f.execution(FIFTEEN, "schedule", Instant.parse("2026-01-14T13:00:00Z"), Instant.parse("2026-01-14T13:00:00Z"), "success", 10_000L, 0,
        "{\"github\":{\"syncs\":2,\"successes\":1,\"failures\":0,\"deferred\":1,\"averageDurationMs\":300,\"recordsChanged\":2,\"calls\":5}}");
    e3 = f.execution(FIFTEEN, "catch_up", at("09:00"), at("09:00"), "partial", 20_000L, 3,
        "{\"github\":{\"syncs\":4,\"successes\":3,\"failures\":1,\"deferred\":0,\"averageDurationMs\":200,\"recordsChanged\":7,\"calls\":12}}");
    e4 = f.execution(FIFTEEN, "schedule", at("10:00"), at("10:00"), "failure", 30_000L, 0,
        "{\"github\":{\"syncs\":4,\"successes\":0,\"failures\":4,\"deferred\":0,\"averageDurationMs\":100,\"recordsChanged\":0,\"calls\":4}}");
    e5 = f.execution(FIFTEEN, "schedule", at("11:00"), at("11:00"), "interrupted", 40_000L, 0, "{}");
    e6 = f.execution(FIFTEEN, "schedule", at("11:45"), at("11:45"), "running", null, 0, null);
    // 30-minute job: two successes.
    f1 = f.execution(THIRTY, "schedule", at("06:00"), at("06:00"), "success", 5_000L, 0, "{}");
    f2 = f.execution(THIRTY, "schedule", at("11:30"), at("11:30"), "success", 7_000L, 0,
        "{\"notion\":{\"syncs\":2,\"successes\":2,\"failures\":0,\"deferred\":0,\"averageDurationMs\":50,\"recordsChanged\":1,\"calls\":2},"
            + "\"slack\":{\"syncs\":1,\"successes\":0,\"failures\":1,\"deferred\":0,\"averageDurationMs\":80,\"recordsChanged\":0,\"calls\":1}}");
    // A job name from before the split into 15/30-minute jobs: listed too.
    g1 = f.execution("sync-integrations", "manual", at("08:00"), at("08:00"), "success", 12_500L, 0, null);

    // GitHub connections (15 min → stale after 30 min, i.e. before 11:30).
    f.connection("github", "active", at("08:00"), at("11:50"), at("11:50")); // age 600 s
    f.connection("github", "active", at("08:00"), at("11:40"), at("11:40")); // age 1200 s
    f.connection("github", "active", at("08:00"), at("11:00"), at("11:45")); // age 3600 s: stale
    f.connection("github", "active", at("10:00"), null, null); // never synced, created 10:00: stale
    f.connection("github", "needs_reauth", at("08:00"), at("09:00"), at("11:15"));
    f.connection("github", "disabled", at("08:00"), null, null);
    // Notion (30 min → stale after 60 min, i.e. before 11:00).
    f.connection("notion", "active", at("08:00"), at("11:30"), at("11:30")); // age 1800 s
    f.connection("notion", "active", at("08:00"), at("10:30"), at("11:30")); // age 5400 s: stale

    f.figures.recordMissing(NOW.minusSeconds(7 * 24 * 3600));
    f.evaluator.evaluate("test");
  }

  JsonObject report(int hours) {
    return f.report.report(hours);
  }

  static JsonObject stats(JsonObject r, String job) {
    return r.getJsonArray("stats").getValuesAs(JsonObject.class).stream()
        .filter(s -> s.getString("jobName").equals(job))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats for " + job + " in " + r));
  }

  static JsonObject provider(JsonObject r, String id) {
    return r.getJsonArray("providers").getValuesAs(JsonObject.class).stream()
        .filter(s -> s.getString("provider").equals(id))
        .findFirst()
        .orElseThrow();
  }

  static double number(JsonObject o, String name) {
    return o.getJsonNumber(name).doubleValue();
  }

  @Test
  void statsPerJobMatchTheHandComputedFigures() {
    JsonObject r = report(24);
    assertEquals(List.of(FIFTEEN, THIRTY, ALL, "sync-integrations"),
        r.getJsonArray("stats").getValuesAs(JsonObject.class).stream().map(s -> s.getString("jobName")).toList());

    JsonObject fifteen = stats(r, FIFTEEN);
    assertEquals(5, fifteen.getInt("totalExecutions")); // e2..e6
    assertEquals(1, fifteen.getInt("successCount")); // e2
    assertEquals(2, fifteen.getInt("failureCount")); // e4 failure, e5 interrupted
    assertEquals(1, fifteen.getInt("partialCount")); // e3: neither success nor failure
    assertEquals(1, fifteen.getInt("runningCount")); // e6
    assertEquals(0.25, number(fifteen, "successRate"), 1e-9); // 1 success / 4 finished
    assertEquals(25_000, fifteen.getJsonNumber("averageDuration").longValue()); // (10+20+30+40)/4 s
    assertEquals("2026-01-15T11:45:00Z", fifteen.getString("lastExecution"));
    assertEquals("running", fifteen.getString("lastStatus"));
    assertEquals(2, fifteen.getInt("recentFailures")); // e4, e5 since the partial e3
    assertEquals(3, fifteen.getInt("missedSlots"));

    JsonObject thirty = stats(r, THIRTY);
    assertEquals(2, thirty.getInt("totalExecutions"));
    assertEquals(2, thirty.getInt("successCount"));
    assertEquals(0, thirty.getInt("failureCount"));
    assertEquals(1.0, number(thirty, "successRate"), 1e-9);
    assertEquals(6_000, thirty.getJsonNumber("averageDuration").longValue());
    assertEquals("2026-01-15T11:30:00Z", thirty.getString("lastExecution"));
    assertEquals("success", thirty.getString("lastStatus"));
    assertEquals(0, thirty.getInt("recentFailures"));

    JsonObject all = stats(r, ALL);
    assertEquals(0, all.getInt("totalExecutions"));
    assertEquals(JsonValue.NULL, all.get("successRate"));
    assertEquals(JsonValue.NULL, all.get("averageDuration"));
    assertEquals(JsonValue.NULL, all.get("lastExecution"));
    assertEquals(JsonValue.NULL, all.get("lastStatus"));

    JsonObject legacy = stats(r, "sync-integrations");
    assertEquals(1, legacy.getInt("totalExecutions"));
    assertEquals(12_500, legacy.getJsonNumber("averageDuration").longValue());
  }

  @Test
  void aWiderWindowTakesInTheOlderFailure() {
    JsonObject fifteen = stats(report(48), FIFTEEN);
    assertEquals(6, fifteen.getInt("totalExecutions"));
    assertEquals(3, fifteen.getInt("failureCount"));
    assertEquals(0.2, number(fifteen, "successRate"), 1e-9); // 1 of 5 finished
    assertEquals(20_200, fifteen.getJsonNumber("averageDuration").longValue()); // (1+10+20+30+40)/5 s
    assertEquals(2, fifteen.getInt("recentFailures"), "the streak does not depend on the window");
  }

  @Test
  void recentExecutionsPerJobNewestFirstAndBounded() {
    JsonObject recent = report(24).getJsonObject("recentExecutions");
    assertEquals(List.of(FIFTEEN, THIRTY, ALL, "sync-integrations"), List.copyOf(recent.keySet()));
    assertEquals(List.of(e6, e5, e4, e3), ids(recent.getJsonArray(FIFTEEN)), "newest first, at most 4 (configured)");
    assertEquals(List.of(f2, f1), ids(recent.getJsonArray(THIRTY)));
    assertEquals(List.of(), ids(recent.getJsonArray(ALL)));
    assertEquals(List.of(g1), ids(recent.getJsonArray("sync-integrations")));
    JsonObject latest = recent.getJsonArray(THIRTY).getJsonObject(0);
    assertEquals("success", latest.getString("status"));
    assertEquals("2026-01-15T11:30:00Z", latest.getString("startedAt"));
    assertEquals(7_000, latest.getJsonNumber("durationMs").longValue());
    assertEquals(1, latest.getJsonObject("providerBreakdown").getJsonObject("slack").getInt("failures"));
    JsonObject running = recent.getJsonArray(FIFTEEN).getJsonObject(0);
    assertEquals(JsonValue.NULL, running.get("finishedAt"));
    assertEquals(JsonValue.NULL, running.get("durationMs"));
  }

  static List<Long> ids(JsonArray a) {
    return a.getValuesAs(JsonObject.class).stream().map(o -> o.getJsonNumber("id").longValue()).collect(Collectors.toList());
  }

  @Test
  void perProviderRunsAndConnectionHealth() {
    JsonObject r = report(24);
    JsonObject github = provider(r, "github");
    assertEquals(FIFTEEN, github.getString("jobName"));
    assertEquals(15, github.getInt("intervalMinutes"));
    assertEquals(3, github.getInt("runs")); // e2, e3, e4 (e5's breakdown is empty; e1 is outside)
    assertEquals(10, github.getInt("syncs")); // 2 + 4 + 4
    assertEquals(4, github.getInt("successes")); // 1 + 3 + 0
    assertEquals(5, github.getInt("failures")); // 0 + 1 + 4
    assertEquals(1, github.getInt("deferred"));
    assertEquals(0.556, number(github, "failureRate"), 1e-9); // 5 / (4 + 5)
    assertEquals(180, github.getInt("averageDurationMs")); // (300×2 + 200×4 + 100×4) / 10
    assertEquals(9, github.getInt("recordsChanged"));
    assertEquals(21, github.getInt("calls"));
    JsonObject conns = github.getJsonObject("connections");
    assertEquals(4, conns.getInt("active"));
    assertEquals(1, conns.getInt("needs_reauth"));
    assertEquals(1, conns.getInt("disabled"));
    JsonObject fresh = github.getJsonObject("freshness");
    assertEquals(1200, fresh.getInt("p50Seconds")); // median of 600, 1200, 3600
    assertEquals(3360, fresh.getInt("p95Seconds")); // 5th percentile of the success times: 11:00 + 0.1 × 40 min
    assertEquals(1, fresh.getInt("neverSynced"));
    assertEquals(2, fresh.getInt("staleConnections"));
    assertEquals(0.5, number(fresh, "staleShare"), 1e-9);
    assertEquals(30, fresh.getInt("staleAfterMinutes"));

    JsonObject notion = provider(r, "notion");
    assertEquals(2, notion.getInt("syncs"));
    assertEquals(0.0, number(notion, "failureRate"), 1e-9);
    assertEquals(50, notion.getInt("averageDurationMs"));
    assertEquals(3600, notion.getJsonObject("freshness").getInt("p50Seconds")); // between 1800 and 5400
    assertEquals(5220, notion.getJsonObject("freshness").getInt("p95Seconds")); // 10:30 + 0.05 × 60 min
    assertEquals(1, notion.getJsonObject("freshness").getInt("staleConnections"));

    JsonObject slack = provider(r, "slack");
    assertEquals(1.0, number(slack, "failureRate"), 1e-9);
    assertEquals(0, slack.getJsonObject("connections").getInt("active"));
    assertEquals(JsonValue.NULL, slack.getJsonObject("freshness").get("p50Seconds"));
    assertEquals(JsonValue.NULL, slack.getJsonObject("freshness").get("staleShare"));

    JsonObject google = provider(r, "google_calendar");
    assertEquals(0, google.getInt("syncs"));
    assertEquals(JsonValue.NULL, google.get("failureRate"));
    assertEquals(JsonValue.NULL, google.get("averageDurationMs"));
  }

  @Test
  void openAlertsAndTheWindow() {
    JsonObject r = report(24);
    assertEquals(24, r.getJsonObject("timeRange").getInt("hours"));
    assertEquals("2026-01-14T12:00:00Z", r.getJsonObject("timeRange").getString("since"));
    List<JsonObject> alerts = r.getJsonArray("alerts").getValuesAs(JsonObject.class);
    // 15min: 4 finished (< 5), streak 2 (< 3), average 25 s, no missed slot since its latest run:
    // no job alert. GitHub: 1 connection needs reauth, 2 of 4 stale (50% > 10%); Notion 1 of 2 stale.
    assertEquals(
        List.of("needs_reauth:github", "stale_data:github", "stale_data:notion"),
        alerts.stream().map(a -> a.getString("type") + ":" + a.getString("provider")).toList(), alerts.toString());
    JsonObject reauth = alerts.get(0);
    assertEquals("warning", reauth.getString("severity"));
    assertEquals(1, reauth.getInt("observedValue"));
    assertEquals(1, reauth.getInt("threshold"));
    assertEquals("2026-01-15T11:15:00Z", reauth.getString("since"));
    assertEquals("open", reauth.getString("status"));
    JsonObject stale = alerts.get(1);
    assertEquals(0.5, number(stale, "observedValue"), 1e-9);
    assertEquals(0.1, number(stale, "threshold"), 1e-9);
    assertEquals("2026-01-15T10:30:00Z", stale.getString("since")); // oldest (10:00, never synced) + 30 min
    assertTrue(stale.getString("message").contains("2 of 4 active connections (50%)"), stale.getString("message"));
    assertEquals("2026-01-15T11:30:00Z", alerts.get(2).getString("since")); // 10:30 + 60 min
  }
}
