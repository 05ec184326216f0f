package io.tributary.platform.database;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the service's database is, derived from {@code DATABASE_URL} (libpq URI form, as used with
 * {@code psql}) or, when that is unset, the embedded H2 database under the data directory.
 *
 * <p>Pure and side-effect free so that every accepted and rejected form is unit-tested.
 */
public record DatabaseSettings(Vendor vendor, String jdbcUrl, String user, String password) {

  public enum Vendor {
    POSTGRESQL("postgresql"),
    H2("h2");

    private final String flywayName;

    Vendor(String flywayName) {
      this.flywayName = flywayName;
    }

    /** Folder name of this vendor's migration variants under {@code db-migrations/}. */
    public String migrationFolder() {
      return flywayName;
    }
  }

  static final String EXPECTED_FORM = "postgresql://user:password@host:5432/database";

  // user[:password]@host[:port]/database[?params]; user info and port are optional, as in libpq.
  private static final Pattern LIBPQ =
      Pattern.compile(
          "^(?:postgresql|postgres)://(?:([^:@/]*)(?::([^@/]*))?@)?"
              + "(\\[[0-9a-fA-F:]+\\]|[^:/?#@\\[\\]]+)(?::(\\d{1,5}))?/([^?#/]+)(?:\\?([^#]*))?$");

  public DatabaseSettings {
    Objects.requireNonNull(vendor);
    Objects.requireNonNull(jdbcUrl);
  }

  /**
   * @param databaseUrl the value of {@code DATABASE_URL}, if set
   * @param dataDir the data directory for the embedded default
   * @throws InvalidDatabaseUrlException with a message naming the variable and the expected form
   */
  public static DatabaseSettings resolve(Optional<String> databaseUrl, Path dataDir) {
    String raw = databaseUrl.map(String::strip).orElse("");
    if (raw.isEmpty()) {
      return embedded(dataDir);
    }
    if (raw.startsWith("jdbc:postgresql:")) {
      return new DatabaseSettings(Vendor.POSTGRESQL, raw, null, null);
    }
    if (raw.startsWith("jdbc:h2:")) {
      return new DatabaseSettings(Vendor.H2, raw, null, null);
    }
    Matcher m = LIBPQ.matcher(raw);
    if (!m.matches()) {
      throw new InvalidDatabaseUrlException(
          "DATABASE_URL is not a PostgreSQL connection URI. Expected the form "
              + EXPECTED_FORM
              + " (as accepted by psql), got '"
              + redact(raw)
              + "'.");
    }
    String port = m.group(4) == null ? "5432" : m.group(4);
    int portNumber = Integer.parseInt(port);
    if (portNumber < 1 || portNumber > 65535) {
      throw new InvalidDatabaseUrlException(
          "DATABASE_URL has port " + port + ", which is not between 1 and 65535.");
    }
    StringBuilder jdbc =
        new StringBuilder("jdbc:postgresql://")
            .append(m.group(3))
            .append(':')
            .append(port)
            .append('/')
            .append(m.group(5));
    if (m.group(6) != null && !m.group(6).isEmpty()) {
      jdbc.append('?').append(m.group(6));
    }
    return new DatabaseSettings(
        Vendor.POSTGRESQL, jdbc.toString(), decode(m.group(1)), decode(m.group(2)));
  }

  static DatabaseSettings embedded(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("tributary");
    // PostgreSQL mode keeps one set of SQL for both databases (see db-migrations/README.md).
    String url =
        "jdbc:h2:file:"
            + file
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
    return new DatabaseSettings(Vendor.H2, url, "tributary", "");
  }

  public boolean embedded() {
    return vendor == Vendor.H2;
  }

  /** The URL with any password removed, safe for logs. */
  public String describe() {
    return redact(jdbcUrl) + (user == null ? "" : " as " + user);
  }

  static String redact(String url) {
    return url.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@")
        .replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String decode(String s) {
    return s == null || s.isEmpty() ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + vendor + ", " + describe() + "]";
  }

  /** A configuration error an operator must fix; its message is the whole explanation. */
  public static final class InvalidDatabaseUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidDatabaseUrlException(String message) {
      super(message);
    }
  }
}
