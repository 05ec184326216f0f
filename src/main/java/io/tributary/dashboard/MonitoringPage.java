package io.tributary.dashboard;

import io.tributary.monitoring.AlertStore;
import io.tributary.monitoring.MonitoringQueries;
import io.tributary.monitoring.MonitoringQueries.JobStats;
import io.tributary.monitoring.MonitoringQueries.ProviderRuns;
import io.tributary.providers.Provider;
import io.tributary.sync.ExecutionLog;
import io.tributary.sync.ExecutionView;
import io.tributary.sync.SyncEngine;
import io.tributary.sync.SyncJob;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dashboard/monitoring}: open alerts, job statistics, per-provider figures and charts, the
 * recent executions, over a time range ({@code ?range=1h|24h|7d}); refreshes itself every minute
 * ({@code <meta http-equiv="refresh">}, no script; {@code &refresh=off} pauses it); "run now" per
 * interval through the sync engine, with the trigger endpoint's overlap rule.
 *
 * <p>Request-scoped and lazy: figures are read when the page renders, not for a "run now" post,
 * which ends in a redirect.
 */
@Named("monitoring")
@RequestScoped
public class MonitoringPage {

  static final int REFRESH_SECONDS = 60;
  static final int RECENT_PER_JOB = 20;
  static final int RECENT_SHOWN = 30;

  @Inject MonitoringQueries queries;
  @Inject AlertStore alertStore;
  @Inject RunHistory history;
  @Inject SyncEngine engine;
  @Inject Clock clock;

  private TimeRange range;
  private boolean refresh;
  private Instant now;

  private List<JobRow> jobs;
  private List<ExecutionView> executions;
  private Map<String, Long> latestPerJob;
  private List<AlertView> alerts;
  private ProviderCharts charts;
  private List<ProviderFigures> providers;

  /** A provider's runs in the range. */
  public record ProviderFigures(String label, ProviderRuns runs) {
    public Double failureRate() {
      long attempted = runs.successes() + runs.failures();
      return attempted == 0 ? null : runs.failures() / (double) attempted;
    }

    public Long averageDurationMs() {
      return runs.syncs() == 0 ? null : Math.round(runs.durationMsTotal() / (double) runs.syncs());
    }
  }

  @PostConstruct
  void init() {
    range = TimeRange.parse(Pages.param("range"));
    refresh = !"off".equals(Pages.param("refresh"));
    now = clock.instant();
  }

  public TimeRange getRange() {
    return range;
  }

  public List<TimeRange> getRanges() {
    return Arrays.asList(TimeRange.values());
  }

  public boolean isRefresh() {
    return refresh;
  }

  public int getRefreshSeconds() {
    return REFRESH_SECONDS;
  }

  public Instant getNow() {
    return now;
  }

  /** This page's URL with its range and refresh setting, optionally another range. */
  public String link(TimeRange r, boolean withRefresh) {
    return "/dashboard/monitoring?range=" + r.id() + (withRefresh ? "" : "&refresh=off");
  }

  public String getSelf() {
    return link(range, refresh);
  }

  public String getRefreshToggle() {
    return link(range, !refresh);
  }

  public List<AlertView> getAlerts() {
    if (alerts == null) {
      Map<String, Long> latest = latestPerJob();
      alerts = alertStore.open().stream().map(a -> AlertView.of(a, latest.get(a.subject()))).toList();
    }
    return alerts;
  }

  public List<JobRow> getJobs() {
    if (jobs == null) {
      Instant since = range.since(now);
      Map<String, Long> p95 = history.p95Durations(since);
      Map<String, Long> latest = latestPerJob();
      List<JobRow> out = new ArrayList<>();
      for (JobStats s : queries.jobStats(since)) {
        out.add(new JobRow(s, p95.get(s.jobName()), latest.get(s.jobName())));
      }
      jobs = out;
    }
    return jobs;
  }

  /** The recent executions of every job, newest first. */
  public List<ExecutionView> getExecutions() {
    if (executions == null) {
      List<ExecutionView> all = new ArrayList<>();
      queries.recentExecutions(range.since(now), RECENT_PER_JOB).values().forEach(all::addAll);
      all.sort(Comparator.comparing(ExecutionView::startedAt).thenComparing(ExecutionView::id).reversed());
      executions = all.size() > RECENT_SHOWN ? List.copyOf(all.subList(0, RECENT_SHOWN)) : all;
    }
    return executions;
  }

  private Map<String, Long> latestPerJob() {
    if (latestPerJob == null) {
      Map<String, Long> out = new HashMap<>();
      for (ExecutionView e : getExecutions()) {
        out.putIfAbsent(e.jobName(), e.id());
      }
      latestPerJob = out;
    }
    return latestPerJob;
  }

  public List<ProviderFigures> getProviders() {
    if (providers == null) {
      Map<Provider, ProviderRuns> runs = queries.providerRuns(range.since(now));
      List<ProviderFigures> out = new ArrayList<>();
      for (Provider p : Provider.values()) {
        out.add(new ProviderFigures(Labels.provider(p), runs.getOrDefault(p, new ProviderRuns(0, 0, 0, 0, 0, 0, 0, 0))));
      }
      providers = out;
    }
    return providers;
  }

  public ProviderCharts getCharts() {
    if (charts == null) {
      charts = ProviderCharts.build(history.finishedRuns(range.chartStart(now)), range, now);
    }
    return charts;
  }

  public String getSuccessRateChart() {
    return getCharts().successRateSvg(range);
  }

  public String getDurationChart() {
    return getCharts().durationSvg(range);
  }

  public String jobLabel(String jobName) {
    return Labels.job(jobName);
  }

  public String triggerLabel(String trigger) {
    return Labels.trigger(trigger);
  }

  /** The running execution of a job, if the statistics show one. */
  public boolean running(String interval) {
    String job = SyncJob.fromInterval(interval).map(SyncJob::jobName).orElse("");
    return getJobs().stream().anyMatch(j -> j.stats().jobName().equals(job) && j.stats().running() > 0);
  }

  // --- run now -------------------------------------------------------------------------------

  /**
   * Starts a run of the job of {@code interval} (15min, 30min) now, as the trigger endpoint does:
   * same engine, same overlap rule (a job runs at most once at a time).
   */
  public String runNow(String interval) {
    SyncJob job = SyncJob.fromInterval(interval).filter(j -> j != SyncJob.ALL).orElse(null);
    if (job == null) {
      Pages.error("Unknown interval '" + interval + "'.");
    } else {
      try {
        long id = engine.start(job, "manual", clock.instant(), null, 0);
        Pages.info(
            "Started " + job.jobName() + " as execution " + id
                + "; it appears below and finishes in the background.");
      } catch (ExecutionLog.NotStarted e) {
        Pages.warn(
            "A " + job.jobName() + " run is still going"
                + (e.runningExecutionId == null ? "" : " (execution " + e.runningExecutionId + ")")
                + "; wait for it to finish.");
      }
    }
    Pages.redirect(getSelf());
    return null;
  }
}
