package io.tributary.monitoring;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.monitoring.MonitoringQueries.JobStats;
import io.tributary.monitoring.MonitoringQueries.ProviderConnections;
import io.tributary.monitoring.MonitoringQueries.ProviderRuns;
import io.tributary.monitoring.MonitoringQueries.ProviderSchedule;
import io.tributary.providers.Provider;
import io.tributary.sync.ExecutionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The monitoring JSON, in the seed's shape ({@code stats}, {@code alerts}, {@code recentExecutions},
 * {@code timeRange}) plus {@code providers}:
 *
 * <ul>
 *   <li>{@code stats}: one entry per job (the three known jobs always, any other job name found in the
 *       window too). Over the executions <em>started in the window</em>: {@code totalExecutions} (all,
 *       running included), {@code successCount} (status success), {@code failureCount} (failure or
 *       interrupted), {@code partialCount}, {@code runningCount}, {@code successRate} = successCount /
 *       finished executions (3 decimals; null when none finished), {@code averageDuration} (ms,
 *       finished executions; null when none), {@code missedSlots}. Not limited to the window: {@code
 *       lastExecution} / {@code lastStatus} (the job's latest execution ever, so a job that stopped
 *       still shows when it last ran) and {@code recentFailures} (the current streak of failed
 *       executions since the latest success or partial run);
 *   <li>{@code alerts}: the open alerts (state kept by {@link AlertEvaluator}, not recomputed per
 *       request: they are the same alerts the notifications announced);
 *   <li>{@code recentExecutions}: per job, its executions started in the window, newest first, at most
 *       {@code monitoring.recent.executions} (20), each as {@code GET /api/cron/executions/{id}} shows it;
 *   <li>{@code providers}: per provider, its runs in the window (syncs, successes, failures, deferred,
 *       failureRate, averageDurationMs per connection sync) and its connections (by status; freshness
 *       p50/p95 = age in seconds of the active connections' last success; stale share) as of {@code
 *       freshness.asOf}, at most a few seconds ago ({@link LatestConnectionFigures});
 *   <li>{@code timeRange}: {@code hours} (after capping) and {@code since}.
 * </ul>
 */
@ApplicationScoped
public class MonitoringReport {

  /** The largest window the API serves; larger requests are capped to it. */
  public static final int MAX_HOURS = 168;
  public static final int DEFAULT_HOURS = 24;

  @Inject MonitoringQueries queries;
  @Inject LatestConnectionFigures connections;
  @Inject AlertStore alerts;
  @Inject MonitoringSettings settings;
  @Inject Clock clock;

  public JsonObject report(int hours) {
    Instant now = clock.instant();
    Instant since = now.minus(Duration.ofHours(hours));
    JsonArrayBuilder stats = JSON.createArrayBuilder();
    for (JobStats s : queries.jobStats(since)) {
      stats.add(stats(s));
    }
    JsonArrayBuilder open = JSON.createArrayBuilder();
    alerts.open().forEach(a -> open.add(a.json()));
    JsonObjectBuilder recent = JSON.createObjectBuilder();
    for (Map.Entry<String, List<ExecutionView>> e : queries.recentExecutions(since, settings.recentExecutions).entrySet()) {
      JsonArrayBuilder rows = JSON.createArrayBuilder();
      e.getValue().forEach(v -> rows.add(execution(v)));
      recent.add(e.getKey(), rows);
    }
    return JSON.createObjectBuilder()
        .add("stats", stats)
        .add("alerts", open)
        .add("recentExecutions", recent)
        .add("providers", providers(since, now))
        .add("timeRange", JSON.createObjectBuilder().add("hours", hours).add("since", since.toString()))
        .build();
  }

  static JsonObjectBuilder stats(JobStats s) {
    JsonObjectBuilder b =
        JSON.createObjectBuilder()
            .add("jobName", s.jobName())
            .add("totalExecutions", s.total())
            .add("successCount", s.successes())
            .add("failureCount", s.failures());
    b.add("successRate", s.finished() == 0 ? JsonValue.NULL : JSON.createValue(round(s.successes() / (double) s.finished(), 3)));
    if (s.averageDurationMs() == null) {
      b.addNull("averageDuration");
    } else {
      b.add("averageDuration", Math.round(s.averageDurationMs()));
    }
    instant(b, "lastExecution", s.lastExecution());
    if (s.lastStatus() == null) {
      b.addNull("lastStatus");
    } else {
      b.add("lastStatus", s.lastStatus());
    }
    return b.add("recentFailures", s.failureStreak())
        .add("partialCount", s.partials())
        .add("runningCount", s.running())
        .add("missedSlots", s.missedSlots());
  }

  private JsonArrayBuilder providers(Instant since, Instant now) {
    Map<Provider, ProviderRuns> runs = queries.providerRuns(since);
    LatestConnectionFigures.Snapshot snapshot = connections.at(now);
    Map<Provider, ProviderConnections> conns = snapshot.figures();
    JsonArrayBuilder out = JSON.createArrayBuilder();
    for (Provider p : Provider.values()) {
      ProviderRuns r = runs.getOrDefault(p, ProviderRuns.NONE);
      ProviderConnections c = conns.get(p);
      ProviderSchedule sched = queries.schedule(p, now);
      long attempted = r.successes() + r.failures();
      JsonObjectBuilder b = JSON.createObjectBuilder().add("provider", p.id());
      if (sched.job().isPresent()) {
        b.add("jobName", sched.job().get().jobName());
      } else {
        b.addNull("jobName");
      }
      b.add("scheduled", sched.scheduled())
          .add("intervalMinutes", sched.interval().toMinutes())
          .add("runs", r.runs())
          .add("syncs", r.syncs())
          .add("successes", r.successes())
          .add("failures", r.failures())
          .add("deferred", r.deferred())
          .add("failureRate", attempted == 0 ? JsonValue.NULL : JSON.createValue(round(r.failures() / (double) attempted, 3)));
      if (r.syncs() == 0) {
        b.addNull("averageDurationMs");
      } else {
        b.add("averageDurationMs", Math.round(r.durationMsTotal() / (double) r.syncs()));
      }
      b.add("recordsChanged", r.recordsChanged()).add("calls", r.calls());
      b.add(
          "connections",
          JSON.createObjectBuilder().add("active", c.active()).add("needs_reauth", c.needsReauth()).add("disabled", c.disabled()));
      JsonObjectBuilder fresh = JSON.createObjectBuilder();
      nullable(fresh, "p50Seconds", c.freshnessP50Seconds());
      nullable(fresh, "p95Seconds", c.freshnessP95Seconds());
      fresh.add("neverSynced", c.neverSynced())
          .add("staleConnections", c.stale())
          .add("staleShare", c.active() == 0 ? JsonValue.NULL : JSON.createValue(round(c.stale() / (double) c.active(), 3)))
          .add("staleAfterMinutes", sched.interval().multipliedBy(settings.staleDataIntervals).toMinutes())
          .add("asOf", snapshot.asOf().toString());
      b.add("freshness", fresh);
      out.add(b);
    }
    return out;
  }

  /** An execution as {@code GET /api/cron/executions/{id}} shows it (nulls included). */
  static JsonObjectBuilder execution(ExecutionView v) {
    JsonObjectBuilder b =
        JSON.createObjectBuilder()
            .add("id", v.id())
            .add("jobName", v.jobName())
            .add("interval", v.interval())
            .add("trigger", v.trigger());
    instant(b, "slot", v.slot());
    instant(b, "startedAt", v.startedAt());
    instant(b, "finishedAt", v.finishedAt());
    nullable(b, "durationMs", v.durationMs());
    b.add("status", v.status())
        .add("usersProcessed", v.usersProcessed())
        .add("providersSync", v.providersSync())
        .add("successCount", v.successCount())
        .add("failureCount", v.failureCount())
        .add("recordsChanged", v.recordsChanged());
    if (v.errorSummary() == null) {
      b.addNull("errorSummary");
    } else {
      b.add("errorSummary", v.errorSummary());
    }
    return b.add("providerBreakdown", v.providerBreakdown()).add("instanceId", v.instanceId()).add("missedSlots", v.missedSlots());
  }

  private static void instant(JsonObjectBuilder b, String name, Instant v) {
    if (v == null) {
      b.addNull(name);
    } else {
      b.add(name, v.toString());
    }
  }

  private static void nullable(JsonObjectBuilder b, String name, Long v) {
    if (v == null) {
      b.addNull(name);
    } else {
      b.add(name, v);
    }
  }

  static BigDecimal round(double v, int places) {
    return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP);
  }
}
