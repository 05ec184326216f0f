package io.tributary.dashboard;

import io.tributary.providers.Provider;
import io.tributary.sync.ExecutionLog;
import io.tributary.sync.ExecutionView;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code /dashboard/execution?id=N}: one execution of the log in full: timing, counts, the
 * per-provider breakdown ({@code provider_breakdown}) and the error summary.
 */
@Named("execution")
@RequestScoped
public class ExecutionPage {

  /** One provider's part of the run. */
  public record BreakdownRow(
      String provider, long syncs, long successes, long failures, long deferred, long averageDurationMs,
      long recordsChanged, long calls) {}

  @Inject ExecutionLog log;

  private ExecutionView execution;
  private boolean asked;

  @PostConstruct
  void init() {
    OptionalLong id = ConnectionFilter.id(Pages.param("id"));
    asked = id.isPresent();
    execution = id.isPresent() ? log.find(id.getAsLong()).orElse(null) : null;
  }

  public ExecutionView getView() {
    return execution;
  }

  public boolean isFound() {
    return execution != null;
  }

  public boolean isAsked() {
    return asked;
  }

  public String jobLabel() {
    return execution == null ? "" : Labels.job(execution.jobName());
  }

  public String triggerLabel() {
    return execution == null ? "" : Labels.trigger(execution.trigger());
  }

  public List<BreakdownRow> getBreakdown() {
    return execution == null ? List.of() : breakdown(execution.providerBreakdown());
  }

  public List<String> getErrors() {
    return execution == null ? List.of() : errors(execution.errorSummary());
  }

  static List<BreakdownRow> breakdown(JsonObject b) {
    List<BreakdownRow> out = new ArrayList<>();
    if (b == null) {
      return out;
    }
    for (String key : b.keySet()) {
      JsonValue v = b.get(key);
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject f = v.asJsonObject();
      out.add(
          new BreakdownRow(
              Labels.provider(key),
              ProviderCharts.number(f, "syncs"),
              ProviderCharts.number(f, "successes"),
              ProviderCharts.number(f, "failures"),
              ProviderCharts.number(f, "deferred"),
              ProviderCharts.number(f, "averageDurationMs"),
              ProviderCharts.number(f, "recordsChanged"),
              ProviderCharts.number(f, "calls")));
    }
    out.sort((x, y) -> Integer.compare(order(x.provider()), order(y.provider())));
    return out;
  }

  private static int order(String label) {
    return Arrays.stream(Provider.values())
        .filter(p -> Labels.provider(p).equals(label))
        .findFirst()
        .map(Enum::ordinal)
        .orElse(99);
  }

  /** The error summary ("provider: error (count); …") one error per line. */
  static List<String> errors(String summary) {
    return Optional.ofNullable(summary)
        .filter(s -> !s.isBlank())
        .map(s -> Arrays.stream(s.split("; ")).map(String::strip).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }
}
