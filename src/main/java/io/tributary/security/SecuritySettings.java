package io.tributary.security;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The security-related configuration, read once through MicroProfile Config (so {@code
 * ADMIN_PASSWORD}, {@code CRON_SECRET} etc. apply as environment variables).
 *
 * <p>Demo mode ({@code tributary.demo}) defaults to true exactly when {@code database.url} is
 * unset, i.e. when the service runs on its embedded database: only then may it invent secrets and
 * print them. Secrets are stripped of surrounding whitespace (a secret file mounted with a trailing
 * newline is a classic cause of "the secret is right but never matches").
 *
 * <p>{@link #toString()} never shows a secret.
 */
public record SecuritySettings(
    String adminUsername,
    Optional<String> adminPassword,
    Optional<String> cronSecret,
    Optional<String> cronSecretPrevious,
    boolean demo,
    Path dataDir) {

  static final String DEFAULT_ADMIN_USERNAME = "admin";

  /** The settings of the running service. */
  public static SecuritySettings current() {
    Config config = ConfigProvider.getConfig(SecuritySettings.class.getClassLoader());
    return resolve(
        key -> config.getOptionalValue(key, String.class), System.getProperty("user.home"));
  }

  /**
   * @param property a configuration lookup by key ({@code admin.password}, ...)
   * @param userHome the home directory, for the default data directory
   * @throws IllegalArgumentException when {@code tributary.demo} is not a boolean
   */
  static SecuritySettings resolve(Function<String, Optional<String>> property, String userHome) {
    Function<String, Optional<String>> value =
        key -> property.apply(key).map(String::strip).filter(s -> !s.isEmpty());
    boolean embedded = value.apply("database.url").isEmpty();
    boolean demo =
        value.apply("tributary.demo").map(SecuritySettings::parseBoolean).orElse(embedded);
    Path dataDir =
        value.apply("tributary.data.dir").map(Path::of).orElse(Path.of(userHome, ".tributary"));
    return new SecuritySettings(
        value.apply("admin.username").orElse(DEFAULT_ADMIN_USERNAME),
        value.apply("admin.password"),
        value.apply("cron.secret"),
        value.apply("cron.secret.previous"),
        demo,
        dataDir);
  }

  private static boolean parseBoolean(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "tributary.demo (TRIBUTARY_DEMO) must be true or false, got '" + raw + "'.");
    };
  }

  @Override
  public String toString() {
    return "SecuritySettings[adminUsername="
        + adminUsername
        + ", adminPassword="
        + (adminPassword.isPresent() ? "***" : "unset")
        + ", cronSecret="
        + (cronSecret.isPresent() ? "***" : "unset")
        + ", cronSecretPrevious="
        + (cronSecretPrevious.isPresent() ? "***" : "unset")
        + ", demo="
        + demo
        + ", dataDir="
        + dataDir
        + "]";
  }
}
