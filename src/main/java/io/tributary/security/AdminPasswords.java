package io.tributary.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Hashes and verifies admin passwords with PBKDF2-HMAC-SHA256 (Jakarta Security's {@link
 * Pbkdf2PasswordHash}; the stored form is {@code algorithm:iterations:salt:hash}, so the work
 * factor can be raised later without invalidating existing hashes).
 *
 * <p>600,000 iterations follows OWASP's current recommendation for PBKDF2-HMAC-SHA256; it costs
 * about 125 ms per verification on a 2-core machine, which is why {@link AdminIdentityStore} caches
 * recent successes. Verification always runs one full PBKDF2, against a dummy hash when the account
 * does not exist, so a failed login takes as long for an unknown user as for a wrong password.
 */
@ApplicationScoped
public class AdminPasswords {

  private static final Logger LOG = Logger.getLogger(AdminPasswords.class.getName());

  static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  static final int ITERATIONS = 600_000;

  @Inject Pbkdf2PasswordHash pbkdf2;

  private String dummyHash;

  public AdminPasswords() {}

  /** With a given hash implementation, for tests. */
  AdminPasswords(Pbkdf2PasswordHash pbkdf2) {
    this.pbkdf2 = pbkdf2;
    init();
  }

  @PostConstruct
  void init() {
    pbkdf2.initialize(
        Map.of(
            "Pbkdf2PasswordHash.Algorithm",
            ALGORITHM,
            "Pbkdf2PasswordHash.Iterations",
            Integer.toString(ITERATIONS),
            "Pbkdf2PasswordHash.SaltSizeBytes",
            "32",
            "Pbkdf2PasswordHash.KeySizeBytes",
            "32"));
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    dummyHash = pbkdf2.generate(Base64.getEncoder().encodeToString(random).toCharArray());
  }

  /** The storable hash of {@code password}. */
  String hash(String password) {
    return pbkdf2.generate(password.toCharArray());
  }

  /**
   * Whether {@code password} matches {@code storedHash}; with no stored hash (no such account) the
   * same work is done against a dummy hash and the answer is false.
   */
  boolean verify(String password, Optional<String> storedHash) {
    char[] chars = (password == null ? "" : password).toCharArray();
    boolean matches;
    try {
      matches = pbkdf2.verify(chars, storedHash.orElse(dummyHash));
    } catch (IllegalArgumentException e) {
      LOG.warning("A stored admin password hash is not in PBKDF2 format; that login is refused.");
      pbkdf2.verify(chars, dummyHash);
      matches = false;
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
    return storedHash.isPresent() && matches;
  }
}
