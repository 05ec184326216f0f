package io.tributary.sync;

/**
 * The one place that decides an execution's status, so the log, the API and the alert rules agree:
 *
 * <ul>
 *   <li>{@code success}: every attempted provider sync succeeded (a run with nothing to do, too);
 *   <li>{@code partial}: some succeeded and some failed;
 *   <li>{@code failure}: every attempted sync failed, or the run itself failed;
 *   <li>{@code interrupted}: the instance running it died (decided by the lease, not here).
 * </ul>
 *
 * A rate-limited sync deferred to a later run counts neither way.
 */
public final class RunStatus {
  private RunStatus() {}

  public static String of(int successes, int failures, boolean runFailed) {
    if (runFailed) {
      return "failure";
    }
    if (failures == 0) {
      return "success";
    }
    return successes == 0 ? "failure" : "partial";
  }
}
