package io.tributary.dashboard;

import io.tributary.providers.Provider;
import io.tributary.sync.SyncJob;

/** Human names for the identifiers the database uses. */
public final class Labels {
  private Labels() {}

  public static String provider(Provider p) {
    return switch (p) {
      case GITHUB -> "GitHub";
      case NOTION -> "Notion";
      case SLACK -> "Slack";
      case GOOGLE_CALENDAR -> "Google Calendar";
    };
  }

  public static String provider(String id) {
    return Provider.fromId(id).map(Labels::provider).orElse(id);
  }

  public static String job(String jobName) {
    return SyncJob.fromJobName(jobName)
        .map(
            j ->
                switch (j) {
                  case FIFTEEN_MINUTES -> "Every 15 minutes";
                  case THIRTY_MINUTES -> "Every 30 minutes";
                  case ALL -> "All providers (manual)";
                })
        .orElse(jobName);
  }

  public static String trigger(String trigger) {
    if (trigger == null) {
      return "";
    }
    return switch (trigger) {
      case "schedule" -> "Schedule";
      case "manual" -> "Manual";
      case "catch_up" -> "Catch-up";
      default -> trigger;
    };
  }
}
