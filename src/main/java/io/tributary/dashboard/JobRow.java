package io.tributary.dashboard;

import io.tributary.monitoring.MonitoringQueries.JobStats;

/** One job's line in the monitoring page's statistics table. */
public record JobRow(JobStats stats, Long p95DurationMs, Long latestExecutionId) {

  public String label() {
    return Labels.job(stats.jobName());
  }

  /** Successful executions among the finished ones, or null when none finished. */
  public Double successRate() {
    return stats.finished() == 0 ? null : stats.successes() / (double) stats.finished();
  }

  public Long averageDurationMs() {
    return stats.averageDurationMs() == null ? null : Math.round(stats.averageDurationMs());
  }
}
