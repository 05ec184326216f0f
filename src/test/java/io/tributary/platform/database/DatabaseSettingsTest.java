package io.tributary.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.database.DatabaseSettings.InvalidDatabaseUrlException;
import io.tributary.platform.database.DatabaseSettings.Vendor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static final Path DATA = Path.of("/var/lib/tributary");

  private static DatabaseSettings resolve(String url) {
    return DatabaseSettings.resolve(Optional.ofNullable(url), DATA);
  }

  @Test
  void unsetMeansEmbeddedH2FileUnderTheDataDirectory() {
    DatabaseSettings s = resolve(null);
    assertEquals(Vendor.H2, s.vendor());
    assertTrue(s.jdbcUrl().startsWith("jdbc:h2:file:/var/lib/tributary/tributary;MODE=PostgreSQL"), s.jdbcUrl());
    assertTrue(s.embedded());
    assertEquals(Vendor.H2, resolve("   ").vendor());
  }

  @Test
  void libpqUriBecomesJdbcUrlWithCredentialsApart() {
    DatabaseSettings s = resolve("postgresql://app:s3cret@db.internal:6543/tributary?sslmode=require");
    assertEquals(Vendor.POSTGRESQL, s.vendor());
    assertEquals("jdbc:postgresql://db.internal:6543/tributary?sslmode=require", s.jdbcUrl());
    assertEquals("app", s.user());
    assertEquals("s3cret", s.password());
    assertFalse(s.describe().contains("s3cret"));
    assertFalse(s.toString().contains("s3cret"));
  }

  @Test
  void postgresSchemeDefaultPortAndPercentEncodedPassword() {
    DatabaseSettings s = resolve("postgres://app:p%40ss%3Aword@localhost/tributary");
    assertEquals("jdbc:postgresql://localhost:5432/tributary", s.jdbcUrl());
    assertEquals("p@ss:word", s.password());
  }

  @Test
  void userWithoutPasswordAndNoUserAtAll() {
    assertNull(resolve("postgresql://postgres@127.0.0.1:5432/t").password());
    DatabaseSettings anonymous = resolve("postgresql://127.0.0.1/t");
    assertNull(anonymous.user());
    assertEquals("jdbc:postgresql://127.0.0.1:5432/t", anonymous.jdbcUrl());
  }

  @Test
  void jdbcUrlsPassThrough() {
    assertEquals("jdbc:postgresql://h:5432/d", resolve("jdbc:postgresql://h:5432/d").jdbcUrl());
    assertEquals(Vendor.H2, resolve("jdbc:h2:mem:x").vendor());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://u:p@h:3306/d",
        "postgresql://u:p@h:5432",
        "postgresql://u:p@h:notaport/d",
        "postgresql://u:p@h:99999/d",
        "localhost:5432/tributary",
        "postgresql:///d"
      })
  void malformedUrlNamesTheVariableAndTheExpectedFormWithoutThePassword(String url) {
    InvalidDatabaseUrlException e = assertThrows(InvalidDatabaseUrlException.class, () -> resolve(url));
    assertTrue(e.getMessage().startsWith("DATABASE_URL "), e.getMessage());
    assertTrue(
        e.getMessage().contains(DatabaseSettings.EXPECTED_FORM) || e.getMessage().contains("port"),
        e.getMessage());
    assertFalse(e.getMessage().contains(":p@"), e.getMessage());
  }
}
