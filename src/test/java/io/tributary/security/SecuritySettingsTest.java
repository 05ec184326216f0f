package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecuritySettingsTest {

  private static SecuritySettings resolve(Map<String, String> config) {
    return SecuritySettings.resolve(k -> Optional.ofNullable(config.get(k)), "/home/op");
  }

  @Test
  void demoModeIsTheDefaultExactlyWhenThereIsNoDatabaseUrl() {
    assertTrue(resolve(Map.of()).demo());
    assertTrue(resolve(Map.of("database.url", "  ")).demo());
    assertFalse(resolve(Map.of("database.url", "postgresql://db/tributary")).demo());
  }

  @Test
  void anExplicitDemoSettingWins() {
    assertFalse(resolve(Map.of("tributary.demo", "false")).demo());
    assertTrue(
        resolve(Map.of("tributary.demo", "TRUE", "database.url", "postgresql://db/t")).demo());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> resolve(Map.of("tributary.demo", "maybe")));
    assertTrue(e.getMessage().contains("TRIBUTARY_DEMO"), e.getMessage());
  }

  @Test
  void defaultsAdminUsernameAndDataDirectory() {
    SecuritySettings s = resolve(Map.of());
    assertEquals("admin", s.adminUsername());
    assertEquals(Path.of("/home/op", ".tributary"), s.dataDir());
    assertEquals(Optional.empty(), s.adminPassword());
    assertEquals(Optional.empty(), s.cronSecret());
    assertEquals(Path.of("/srv/t"), resolve(Map.of("tributary.data.dir", "/srv/t")).dataDir());
  }

  @Test
  void secretsAreStrippedAndBlankMeansUnset() {
    SecuritySettings s =
        resolve(
            Map.of("cron.secret", "abc\n", "cron.secret.previous", "  ", "admin.password", " pw "));
    assertEquals(Optional.of("abc"), s.cronSecret());
    assertEquals(Optional.empty(), s.cronSecretPrevious());
    assertEquals(Optional.of("pw"), s.adminPassword());
  }

  @Test
  void toStringShowsNoSecret() {
    String text =
        resolve(
                Map.of(
                    "admin.password",
                    "admin-pass-123",
                    "cron.secret",
                    "cron-sec-456",
                    "cron.secret.previous",
                    "prev-789"))
            .toString();
    assertFalse(
        text.contains("admin-pass-123")
            || text.contains("cron-sec-456")
            || text.contains("prev-789"),
        text);
  }
}
