package io.tributary.sync;

import java.util.Arrays;
import java.util.Optional;

/**
 * The seed's two cron jobs, plus "all" for a manual run of every provider. Each has its own row in
 * the execution log ({@code job_name}) and its own overlap lock.
 */
public enum SyncJob {
  FIFTEEN_MINUTES("15min", "sync-integrations-15min"),
  THIRTY_MINUTES("30min", "sync-integrations-30min"),
  ALL("all", "sync-integrations-all");

  private final String interval;
  private final String jobName;

  SyncJob(String interval, String jobName) {
    this.interval = interval;
    this.jobName = jobName;
  }

  public String interval() {
    return interval;
  }

  public String jobName() {
    return jobName;
  }

  /** The {@code interval} query parameter: absent means all providers, as in the seed. */
  public static Optional<SyncJob> fromInterval(String interval) {
    if (interval == null || interval.isBlank()) {
      return Optional.of(ALL);
    }
    return Arrays.stream(values()).filter(j -> j.interval.equals(interval.strip())).findFirst();
  }

  public static Optional<SyncJob> fromJobName(String name) {
    return Arrays.stream(values()).filter(j -> j.jobName.equals(name)).findFirst();
  }
}
