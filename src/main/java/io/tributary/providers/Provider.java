package io.tributary.providers;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four providers, by the identifiers used everywhere in the API, config and database.
 *
 * <p>{@link #configPrefix()} is the MicroProfile Config prefix of the provider's settings ({@code
 * github.api.url} ← {@code GITHUB_API_URL}, {@code google.token.url} ← {@code GOOGLE_TOKEN_URL}).
 */
public enum Provider {
  GITHUB("github", "github", "15min"),
  NOTION("notion", "notion", "30min"),
  SLACK("slack", "slack", "30min"),
  GOOGLE_CALENDAR("google_calendar", "google", "30min");

  private final String id;
  private final String configPrefix;
  private final String defaultInterval;

  Provider(String id, String configPrefix, String defaultInterval) {
    this.id = id;
    this.configPrefix = configPrefix;
    this.defaultInterval = defaultInterval;
  }

  public String id() {
    return id;
  }

  public String configPrefix() {
    return configPrefix;
  }

  /** The seed's sync interval: GitHub every 15 minutes, the others every 30. */
  public String defaultInterval() {
    return defaultInterval;
  }

  public static Optional<Provider> fromId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String wanted = id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
  }

  public static String allowedIds() {
    return Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
