package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCronSecretFileTest {

  @TempDir Path tmp;

  @Test
  void generatesAnOwnerOnlySecretOnceAndKeepsItAcrossRestarts() throws Exception {
    Path dataDir = tmp.resolve("data");
    DemoCronSecretFile.Loaded first = DemoCronSecretFile.loadOrCreate(dataDir);
    assertTrue(first.created());
    assertTrue(first.secret().length() >= 40, "32 random bytes");
    assertEquals(dataDir.resolve("cron-secret").toAbsolutePath(), first.file());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
    assertFalse(first.toString().contains(first.secret()));

    DemoCronSecretFile.Loaded second = DemoCronSecretFile.loadOrCreate(dataDir);
    assertFalse(second.created());
    assertEquals(first.secret(), second.secret());
  }

  @Test
  void replacesAnEmptyFileAndTightensLoosePermissions() throws Exception {
    Path file = tmp.resolve("cron-secret");
    Files.writeString(file, "\n");
    DemoCronSecretFile.Loaded regenerated = DemoCronSecretFile.loadOrCreate(tmp);
    assertTrue(regenerated.created());

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    DemoCronSecretFile.Loaded loaded = DemoCronSecretFile.loadOrCreate(tmp);
    assertEquals(regenerated.secret(), loaded.secret());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
