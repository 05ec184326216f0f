package io.tributary.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The shared secret the external scheduler presents as {@code Authorization: Bearer <secret>} on
 * the cron endpoints ({@code CRON_SECRET}), plus the previous one ({@code CRON_SECRET_PREVIOUS})
 * while a rotation is under way.
 *
 * <p>Comparison is constant-time in both the content and the length of the secret: the presented
 * value and both configured values are reduced to SHA-256 digests, which are compared with {@link
 * MessageDigest#isEqual} against <em>both</em> configured secrets every time (an unset one is
 * replaced by a random digest that nothing matches), so neither which secret matched nor how long
 * it is shows in the response time.
 *
 * <p>Where the secret comes from: {@code cron.secret}; otherwise, in demo mode only, a generated
 * secret kept in {@code <data dir>/cron-secret} (mode 0600) so it survives restarts; otherwise
 * none, and the cron endpoints refuse every bearer call. {@link AdminBootstrap} touches this bean
 * at startup so the secret is resolved (and announced) then, not on the first cron call.
 */
@ApplicationScoped
public class CronSecret {

  private static final Logger LOG = Logger.getLogger(CronSecret.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private boolean configured;
  private byte[] currentDigest;
  private byte[] previousDigest;

  /** For CDI; the secret is loaded from configuration in {@link #load()}. */
  public CronSecret() {
    configure(Optional.empty(), Optional.empty());
  }

  /** A secret given directly, for tests. */
  CronSecret(Optional<String> current, Optional<String> previous) {
    configure(current, previous);
  }

  @PostConstruct
  void load() {
    SecuritySettings settings = SecuritySettings.current();
    Optional<String> current = settings.cronSecret();
    if (current.isEmpty() && settings.demo()) {
      current = demoSecret(settings);
    }
    configure(current, settings.cronSecretPrevious());
    if (settings.cronSecret().isPresent()) {
      LOG.info(
          "Cron endpoints accept Authorization: Bearer <CRON_SECRET>"
              + (settings.cronSecretPrevious().isPresent() ? " or <CRON_SECRET_PREVIOUS>." : "."));
      if (settings.cronSecret().get().length() < 32) {
        LOG.warning(
            "CRON_SECRET is shorter than 32 characters; generate a stronger one with"
                + " `openssl rand -base64 32`.");
      }
    } else if (!configured) {
      LOG.warning(
          "CRON_SECRET is not set: the cron endpoints refuse every bearer call (503) until it is."
              + " Admins can still call them with their own credentials.");
      if (settings.cronSecretPrevious().isPresent()) {
        LOG.warning("CRON_SECRET_PREVIOUS is set without CRON_SECRET: it is ignored.");
      }
    }
  }

  private static Optional<String> demoSecret(SecuritySettings settings) {
    try {
      DemoCronSecretFile.Loaded loaded = DemoCronSecretFile.loadOrCreate(settings.dataDir());
      if (loaded.created()) {
        // Demo mode only (embedded database, no CRON_SECRET): the one place this secret is printed.
        LOG.warning(
            "DEMO MODE: CRON_SECRET is not set, so one was generated and stored in "
                + loaded.file()
                + ". Call the cron endpoints with the header  Authorization: Bearer "
                + loaded.secret()
                + "  -- set CRON_SECRET for any real deployment.");
      } else {
        LOG.warning(
            "DEMO MODE: CRON_SECRET is not set; the cron endpoints accept the generated secret"
                + " stored in "
                + loaded.file()
                + ". Set CRON_SECRET for any real deployment.");
      }
      return Optional.of(loaded.secret());
    } catch (IOException | RuntimeException e) {
      LOG.severe(
          "DEMO MODE: cannot read or create the generated cron secret in "
              + settings.dataDir()
              + " ("
              + e.getMessage()
              + "); the cron endpoints refuse bearer calls until CRON_SECRET is set.");
      return Optional.empty();
    }
  }

  private void configure(Optional<String> current, Optional<String> previous) {
    Optional<String> cur = current.filter(s -> !s.isEmpty());
    Optional<String> prev = previous.filter(s -> !s.isEmpty());
    configured = cur.isPresent();
    // An unset secret becomes a random digest: the comparison below then costs the same and fails.
    currentDigest = cur.map(CronSecret::sha256).orElseGet(CronSecret::randomDigest);
    previousDigest =
        configured
            ? prev.map(CronSecret::sha256).orElseGet(CronSecret::randomDigest)
            : randomDigest();
  }

  /** Whether a secret is set at all; without one the cron endpoints refuse bearer calls. */
  public boolean configured() {
    return configured;
  }

  /**
   * Whether {@code presented} is the current or the previous secret. Always compares against both,
   * in constant time with respect to content and length.
   */
  public boolean matches(String presented) {
    byte[] digest = sha256(presented == null ? "" : presented);
    boolean current = MessageDigest.isEqual(digest, currentDigest);
    boolean previous = MessageDigest.isEqual(digest, previousDigest);
    // Non-short-circuit '|': both comparisons above always run; this just combines them.
    return configured && presented != null && !presented.isEmpty() && (current | previous);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static byte[] randomDigest() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }
}
