package io.tributary.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Tributary's application metrics (MicroProfile Metrics; Payara serves them as Prometheus text at
 * {@code /metrics}, scope {@code application}):
 *
 * <ul>
 *   <li>{@code tributary_runs_total{job,status}}: finished runs;
 *   <li>{@code tributary_run_duration_seconds{job}}: run durations (timer);
 *   <li>{@code tributary_provider_syncs_total{provider,outcome}}: connection syncs by outcome
 *       (success, failure, deferred);
 *   <li>{@code tributary_provider_sync_duration_seconds{provider}}: each run's average connection
 *       sync duration per provider (timer, one sample per provider per run);
 *   <li>{@code tributary_ratelimit_deferrals_total{provider}}: syncs deferred by a provider's rate
 *       limit to a later run;
 *   <li>{@code tributary_alerts_open}: open alerts (gauge, shared state: equal on every instance);
 *   <li>{@code tributary_alert_transitions_total{type,transition}} and {@code
 *       tributary_alert_notifications_total{channel,outcome}}.
 * </ul>
 *
 * Counters are per instance and count the runs this instance finished (each run is finished by one
 * instance), so summing over instances gives the cluster's figures.
 */
@ApplicationScoped
public class MonitoringMetrics {

  private static final Logger LOG = Logger.getLogger(MonitoringMetrics.class.getName());

  @Inject MetricRegistry registry;
  @Inject AlertStore alerts;

  private final AtomicBoolean registered = new AtomicBoolean();
  private final AtomicLong lastOpen = new AtomicLong();

  /** Registers the gauge (once). */
  public void register() {
    if (registered.compareAndSet(false, true)) {
      registry.gauge(
          Metadata.builder().withName("tributary_alerts_open").withDescription("Alerts open now").build(),
          this::openAlerts);
    }
  }

  private Long openAlerts() {
    try {
      lastOpen.set(alerts.countOpen());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Counting open alerts failed; reporting the last value", e);
    }
    return lastOpen.get();
  }

  /** A finished run, with its duration and per-provider breakdown. */
  public void runFinished(String job, String status, Long durationMs, JsonObject breakdown) {
    registry.counter("tributary_runs", new Tag("job", job), new Tag("status", status)).inc();
    if (durationMs != null) {
      // Timers record nanoseconds and Payara exports them in seconds; declaring a unit here would
      // make it print the raw nanoseconds as seconds.
      registry.timer("tributary_run_duration", new Tag("job", job)).update(Duration.ofMillis(durationMs));
    }
    for (Map.Entry<String, JsonValue> e : breakdown.entrySet()) {
      if (e.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject p = e.getValue().asJsonObject();
      Tag provider = new Tag("provider", e.getKey());
      count("tributary_provider_syncs", number(p, "successes"), provider, new Tag("outcome", "success"));
      count("tributary_provider_syncs", number(p, "failures"), provider, new Tag("outcome", "failure"));
      count("tributary_provider_syncs", number(p, "deferred"), provider, new Tag("outcome", "deferred"));
      count("tributary_ratelimit_deferrals", number(p, "deferred"), provider);
      if (number(p, "syncs") > 0) {
        registry.timer("tributary_provider_sync_duration", provider).update(Duration.ofMillis(number(p, "averageDurationMs")));
      }
    }
  }

  public void alertTransition(String type, String transition) {
    registry.counter("tributary_alert_transitions", new Tag("type", type), new Tag("transition", transition)).inc();
  }

  public void notifications(NotificationDelivery.Outcomes o) {
    count("tributary_alert_notifications", o.delivered(), new Tag("outcome", "delivered"));
    count("tributary_alert_notifications", o.retrying(), new Tag("outcome", "retrying"));
    count("tributary_alert_notifications", o.failed(), new Tag("outcome", "failed"));
  }

  private void count(String name, long n, Tag... tags) {
    // Registering at zero too, so every series exists from the first run on (rates need a start).
    registry.counter(name, tags).inc(Math.max(0, n));
  }

  private static long number(JsonObject o, String name) {
    JsonValue v = o.get(name);
    return v instanceof JsonNumber n ? n.longValue() : 0;
  }
}
