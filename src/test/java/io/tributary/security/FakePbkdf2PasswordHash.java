package io.tributary.security;

import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Payara's PBKDF2 implementation (not on the unit-test class path): a fast salted
 * SHA-256 in the same {@code algorithm:iterations:salt:hash} shape, counting verifications so tests
 * can check that every login attempt costs the same work.
 */
final class FakePbkdf2PasswordHash implements Pbkdf2PasswordHash {
  final AtomicInteger verifications = new AtomicInteger();
  /** Runs inside each verification, with its number (1, 2, ...): a test can hold one there. */
  volatile java.util.function.IntConsumer duringVerify = n -> {};
  Map<String, String> parameters;

  @Override
  public void initialize(Map<String, String> parameters) {
    this.parameters = parameters;
  }

  @Override
  public String generate(char[] password) {
    String salt = UUID.randomUUID().toString();
    return "FAKE:1:" + salt + ":" + digest(salt, password);
  }

  @Override
  public boolean verify(char[] password, String hashedPassword) {
    duringVerify.accept(verifications.incrementAndGet());
    String[] parts = hashedPassword.split(":");
    if (parts.length != 4 || !parts[0].equals("FAKE")) {
      throw new IllegalArgumentException("Bad hash encoding");
    }
    return MessageDigest.isEqual(
        digest(parts[2], password).getBytes(StandardCharsets.UTF_8),
        parts[3].getBytes(StandardCharsets.UTF_8));
  }

  private static String digest(String salt, char[] password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt.getBytes(StandardCharsets.UTF_8));
      md.update(new String(password).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
