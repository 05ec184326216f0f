package io.tributary.dashboard;

import io.tributary.monitoring.Alert;
import io.tributary.monitoring.AlertRules;
import io.tributary.monitoring.StoredAlert;
import io.tributary.providers.Provider;
import java.time.Instant;

/**
 * An open alert as the monitoring page shows it: what, how bad, since when, what to do, and a link
 * to where to look.
 */
public record AlertView(
    String severity,
    String title,
    String subject,
    String message,
    Instant since,
    String advice,
    String link,
    String linkText) {

  /**
   * @param latestExecutionOfJob the job's latest execution id, for the link of job alerts (or null)
   */
  public static AlertView of(StoredAlert a, Long latestExecutionOfJob) {
    boolean job = Alert.JOB.equals(a.subjectKind());
    boolean provider = Alert.PROVIDER.equals(a.subjectKind());
    String subject =
        job ? Labels.job(a.subject()) + " (" + a.subject() + ")"
            : provider ? Labels.provider(a.subject()) : a.subject();
    String jobLink =
        latestExecutionOfJob == null ? "/dashboard/monitoring#executions" : "/dashboard/execution?id=" + latestExecutionOfJob;
    String jobLinkText = latestExecutionOfJob == null ? "Recent executions" : "Latest execution (" + latestExecutionOfJob + ")";
    String failing = "/dashboard/integrations?provider=" + a.subject() + "&status=failing";
    return switch (a.type()) {
      case AlertRules.CONSECUTIVE_FAILURES ->
          new AlertView(a.severity(), "Consecutive failures", subject, a.message(), a.since(),
              "Open the latest execution to see which provider fails and with which error; then check"
                  + " that provider's connections and its status page. Run the job again once it is fixed.",
              jobLink, jobLinkText);
      case AlertRules.HIGH_FAILURE_RATE ->
          new AlertView(a.severity(), "High failure rate", subject, a.message(), a.since(),
              "Most runs of this job failed in the alert window: look at the failed executions' errors"
                  + " and the failing connections per provider.",
              jobLink, jobLinkText);
      case AlertRules.LONG_DURATION ->
          new AlertView(a.severity(), "Long duration", subject, a.message(), a.since(),
              "Runs take longer than the limit: find the slow provider in the executions' breakdown"
                  + " (rate limits, latency) and consider SYNC_CONCURRENCY.",
              jobLink, jobLinkText);
      case AlertRules.MISSED_RUN ->
          new AlertView(a.severity(), "Missed run", subject, a.message(), a.since(),
              "A scheduled slot did not run: check that the service (every instance) is up and that"
                  + " SYNC_SCHEDULE_* is not off; a catch-up run follows a restart.",
              "/dashboard/monitoring#jobs", "Job statistics");
      case AlertRules.NEEDS_REAUTH ->
          new AlertView(a.severity(), "Needs re-authorisation", subject, a.message(), a.since(),
              "These users revoked access or their refresh token expired: ask them to reconnect"
                  + " " + subject + ".",
              "/dashboard/integrations?provider=" + a.subject() + "&status=needs_reauth",
              "Connections needing re-auth");
      case AlertRules.STALE_DATA ->
          new AlertView(a.severity(), "Stale data", subject, a.message(), a.since(),
              "Too many connections have not synced successfully for a while: look at their last errors.",
              failing, "Failing " + subject + " connections");
      case AlertRules.PROVIDER_INCIDENT ->
          new AlertView(a.severity(), "Provider incident", subject, a.message(), a.since(),
              "Many connections failed with the same error: the provider may be down or rejecting our"
                  + " client. Check its status page and the OAuth client settings.",
              failing, "Failing " + subject + " connections");
      case AlertRules.NOTIFICATION_FAILURE ->
          new AlertView(a.severity(), "Notifications failing", subject, a.message(), a.since(),
              "Alert notifications could not be delivered: check ALERT_SLACK_WEBHOOK_URL / ALERT_WEBHOOK_URL.",
              "/dashboard/monitoring#alerts", "Alerts");
      default ->
          new AlertView(a.severity(), a.type(), subject, a.message(), a.since(),
              "See the message.",
              provider && Provider.fromId(a.subject()).isPresent() ? failing : "/dashboard/monitoring#jobs",
              "Details");
    };
  }

  public boolean isCritical() {
    return "critical".equals(severity);
  }
}
