package io.tributary.dashboard;

import io.tributary.providers.Provider;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The monitoring page's charts: per provider and time bucket, the success rate of its connection
 * syncs (successes ÷ (successes + failures); deferred syncs count neither way, as in the execution
 * log) and their average duration, from the {@code provider_breakdown} of the finished runs in the
 * range. A bucket in which a provider had nothing to count is a gap, not a zero.
 */
public final class ProviderCharts {

  /** One finished run: when it started and its per-provider figures. */
  public record Run(Instant startedAt, JsonObject breakdown) {}

  /** One row of the charts' data table (for screen readers and exact figures). */
  public record Row(String bucket, List<String> rates, List<String> durations) {}

  private final List<String> labels;
  private final List<SvgChart.Series> rates;
  private final List<SvgChart.Series> durations;
  private final List<Row> rows;
  private final boolean empty;

  private ProviderCharts(
      List<String> labels, List<SvgChart.Series> rates, List<SvgChart.Series> durations, List<Row> rows, boolean empty) {
    this.labels = labels;
    this.rates = rates;
    this.durations = durations;
    this.rows = rows;
    this.empty = empty;
  }

  public static ProviderCharts build(List<Run> runs, TimeRange range, Instant now) {
    int n = range.buckets();
    Provider[] providers = Provider.values();
    long[][] successes = new long[providers.length][n];
    long[][] failures = new long[providers.length][n];
    long[][] syncs = new long[providers.length][n];
    double[][] durationTotal = new double[providers.length][n];
    boolean any = false;
    for (Run run : runs) {
      int b = range.bucketOf(run.startedAt(), now);
      if (b < 0 || run.breakdown() == null) {
        continue;
      }
      for (Provider p : providers) {
        JsonValue v = run.breakdown().get(p.id());
        if (v == null || v.getValueType() != JsonValue.ValueType.OBJECT) {
          continue;
        }
        JsonObject f = v.asJsonObject();
        int i = p.ordinal();
        long s = number(f, "syncs");
        successes[i][b] += number(f, "successes");
        failures[i][b] += number(f, "failures");
        syncs[i][b] += s;
        durationTotal[i][b] += number(f, "averageDurationMs") * (double) s;
        any |= s > 0;
      }
    }
    DateTimeFormatter fmt =
        DateTimeFormatter.ofPattern(range == TimeRange.WEEK ? "MM-dd HH:mm" : "HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      labels.add(fmt.format(range.bucketStart(b, now)));
    }
    List<SvgChart.Series> rates = new ArrayList<>();
    List<SvgChart.Series> durations = new ArrayList<>();
    for (Provider p : providers) {
      int i = p.ordinal();
      List<Double> r = new ArrayList<>();
      List<Double> d = new ArrayList<>();
      for (int b = 0; b < n; b++) {
        long attempted = successes[i][b] + failures[i][b];
        r.add(attempted == 0 ? null : successes[i][b] / (double) attempted);
        d.add(syncs[i][b] == 0 ? null : durationTotal[i][b] / syncs[i][b]);
      }
      rates.add(new SvgChart.Series(p.id(), Labels.provider(p), Collections.unmodifiableList(r)));
      durations.add(new SvgChart.Series(p.id(), Labels.provider(p), Collections.unmodifiableList(d)));
    }
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      List<String> rr = new ArrayList<>();
      List<String> dd = new ArrayList<>();
      boolean used = false;
      for (Provider p : providers) {
        Double r = rates.get(p.ordinal()).values().get(b);
        Double d = durations.get(p.ordinal()).values().get(b);
        rr.add(r == null ? "—" : Formats.formatPercent(r));
        dd.add(d == null ? "—" : Formats.formatDuration(Math.round(d)));
        used |= r != null || d != null;
      }
      if (used) {
        rows.add(new Row(labels.get(b), rr, dd));
      }
    }
    return new ProviderCharts(labels, rates, durations, rows, !any);
  }

  public boolean isEmpty() {
    return empty;
  }

  public List<Row> getRows() {
    return rows;
  }

  public List<String> getProviders() {
    List<String> out = new ArrayList<>();
    for (Provider p : Provider.values()) {
      out.add(Labels.provider(p));
    }
    return out;
  }

  public List<SvgChart.Series> rates() {
    return rates;
  }

  public List<SvgChart.Series> durations() {
    return durations;
  }

  public String successRateSvg(TimeRange range) {
    return SvgChart.render(
        "chart-rate",
        "Success rate per provider, last " + range.label(),
        "Share of connection syncs that succeeded, per provider, in buckets of "
            + Formats.formatDuration(range.bucket().toMillis()) + "; gaps mean no syncs. " + summary(rates, true),
        SvgChart.Scale.RATE,
        labels,
        rates);
  }

  public String durationSvg(TimeRange range) {
    return SvgChart.render(
        "chart-duration",
        "Average sync duration per provider, last " + range.label(),
        "Average duration of one connection's sync, per provider, in buckets of "
            + Formats.formatDuration(range.bucket().toMillis()) + "; gaps mean no syncs. " + summary(durations, false),
        SvgChart.Scale.DURATION,
        labels,
        durations);
  }

  /** The latest value of each series, in words. */
  static String summary(List<SvgChart.Series> series, boolean rate) {
    List<String> parts = new ArrayList<>();
    for (SvgChart.Series s : series) {
      Double last = null;
      for (Double v : s.values()) {
        if (v != null) {
          last = v;
        }
      }
      if (last != null) {
        parts.add(s.label() + " latest " + (rate ? Formats.formatPercent(last) : Formats.formatDuration(Math.round(last))));
      }
    }
    return parts.isEmpty() ? "No syncs in this range." : String.join(", ", parts) + ".";
  }

  static long number(JsonObject o, String key) {
    JsonValue v = o.get(key);
    return v instanceof JsonNumber n ? n.longValue() : 0;
  }
}
