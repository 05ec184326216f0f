package io.tributary.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The generated cron secret of demo mode, kept in {@code <data dir>/cron-secret} readable by its
 * owner only (0600), so the secret stays the same across restarts of a demo installation.
 */
final class DemoCronSecretFile {
  private DemoCronSecretFile() {}

  static final String FILE_NAME = "cron-secret";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  record Loaded(String secret, Path file, boolean created) {
    @Override
    public String toString() {
      return "Loaded[file=" + file + ", created=" + created + "]";
    }
  }

  /** Reads the stored secret, or generates and stores one when there is none yet. */
  static Loaded loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.toAbsolutePath().resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!stored.isEmpty()) {
        restrictToOwner(file);
        return new Loaded(stored, file, false);
      }
    }
    Files.createDirectories(dataDir.toAbsolutePath());
    String secret = generate();
    // Written to a private temporary file first and moved into place, so the secret is never
    // readable by others and a crash never leaves a half-written file.
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix(dataDir)) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return new Loaded(secret, file, true);
  }

  private static void restrictToOwner(Path file) throws IOException {
    if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean posix(Path p) {
    return p.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  static String generate() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
