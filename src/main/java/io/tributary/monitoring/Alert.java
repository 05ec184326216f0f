package io.tributary.monitoring;

import java.time.Instant;

/**
 * A condition that holds now, as {@link AlertRules} computes it: what is wrong, with what, how badly,
 * measured against which threshold, and since when.
 *
 * @param type high_failure_rate, consecutive_failures, long_duration, missed_run, needs_reauth,
 *     stale_data, provider_incident or notification_failure
 * @param severity critical or warning
 * @param subjectKind job, provider or channel
 * @param subject the job name, provider id or channel name
 */
public record Alert(
    String type,
    String severity,
    String subjectKind,
    String subject,
    String message,
    double observedValue,
    double threshold,
    Instant since) {

  public static final String JOB = "job";
  public static final String PROVIDER = "provider";
  public static final String CHANNEL = "channel";

  /** Identifies the alert among open ones: at most one open occurrence per key. */
  public String key() {
    return type + ":" + subject;
  }
}
