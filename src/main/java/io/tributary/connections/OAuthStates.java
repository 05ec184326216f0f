package io.tributary.connections;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.platform.web.ApiError;
import io.tributary.providers.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The OAuth {@code state}: {@code base64url(provider|userId|expiry|nonce).base64url(HMAC-SHA256)}.
 * Signed, so it cannot be forged; expiring after ten minutes; single-use, because its nonce is
 * recorded in the database on the callback (shared by every instance), so a replay fails.
 */
@ApplicationScoped
public class OAuthStates {

  static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject TokenVault vault;
  @Inject Clock clock;

  private byte[] key;

  /** The verified content of a state. */
  public record State(Provider provider, String userId, Instant expiresAt, String nonce) {}

  @PostConstruct
  void init() {
    key = vault.deriveKey("oauth-state");
  }

  public String issue(Provider provider, String userId) {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    String payload =
        provider.id() + "|" + b64(userId) + "|" + clock.instant().plus(LIFETIME).getEpochSecond() + "|" + nonce;
    String encoded = b64(payload);
    return encoded + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(encoded));
  }

  /** Checks signature, provider and expiry; then spends the nonce. Any failure is a 400. */
  @Transactional
  public State consume(String state, Provider expected) {
    State s = verify(state, expected);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement purge = c.prepareStatement("DELETE FROM oauth_state_uses WHERE expires_at < ?")) {
        Sql.setInstant(purge, 1, clock.instant());
        purge.executeUpdate();
      }
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO oauth_state_uses (nonce, used_at, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
        ins.setString(1, s.nonce());
        Sql.setInstant(ins, 2, clock.instant());
        Sql.setInstant(ins, 3, s.expiresAt());
        if (ins.executeUpdate() == 0) {
          throw ApiError.badRequest("This authorization was already used; start the connection again.");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return s;
  }

  State verify(String state, Provider expected) {
    if (state == null || state.length() > 1000 || state.indexOf('.') < 0) {
      throw invalid();
    }
    String encoded = state.substring(0, state.indexOf('.'));
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(state.substring(state.indexOf('.') + 1));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(sig, mac(encoded))) {
      throw invalid();
    }
    String[] parts = unb64(encoded).split("\\|", -1);
    if (parts.length != 4) {
      throw invalid();
    }
    if (!parts[0].equals(expected.id())) {
      throw ApiError.badRequest("The OAuth state was issued for another provider.");
    }
    Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
    if (clock.instant().isAfter(expires)) {
      throw ApiError.badRequest("The OAuth state has expired; start the connection again.");
    }
    return new State(expected, unb64(parts[1]), expires, parts[3]);
  }

  private static RuntimeException invalid() {
    return ApiError.badRequest("The OAuth state is missing or invalid.");
  }

  private byte[] mac(String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    try {
      return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }
}
