package io.tributary.connections;

import io.tributary.platform.database.TributaryDataSource;
import jakarta.annotation.PostConstruct;
import io.tributary.platform.ConfigurationError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts provider tokens at rest with AES-256-GCM, so a database dump holds no usable token.
 *
 * <p>Ciphertext layout (base64): {@code version(1) || nonce(12) || ciphertext || tag(16)}. The
 * connection id is bound in as associated data, so a token copied onto another connection's row
 * does not decrypt. The key is {@code TOKEN_ENCRYPTION_KEY} (base64 of 32 bytes); on the embedded
 * default database a key is generated once into the data directory, with a warning.
 */
@ApplicationScoped
public class TokenVault {

  private static final Logger LOG = Logger.getLogger(TokenVault.class.getName());
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject
  @ConfigProperty(name = "token.encryption.key")
  Optional<String> configuredKey;

  @Inject
  @ConfigProperty(name = "tributary.data.dir")
  Optional<String> dataDir;

  private SecretKey key;

  /**
   * One cipher per thread, initialised again for each token: {@code Cipher.getInstance} looks the
   * algorithm up among the security providers every time, and that lookup was half of a decryption's
   * cost, once per connection sync. A cipher is not thread-safe, hence one per thread.
   */
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(TokenVault::newCipher);

  public TokenVault() {}

  /** For unit tests and tools: a vault with a given base64 key. */
  public static TokenVault withKey(String base64Key) {
    TokenVault v = new TokenVault();
    v.key = parseKey(base64Key);
    return v;
  }

  /** Checked at startup, so a missing or malformed key stops the start instead of the first sync. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    key.getAlgorithm();
  }

  @PostConstruct
  void init() {
    if (configuredKey.filter(k -> !k.isBlank()).isPresent()) {
      try {
        key = parseKey(configuredKey.get().strip());
      } catch (IllegalStateException e) {
        throw ConfigurationError.stop(e.getMessage());
      }
      return;
    }
    if (!TributaryDataSource.currentSettings().embedded()) {
      throw ConfigurationError.stop(
          "TOKEN_ENCRYPTION_KEY is not set. With DATABASE_URL set it is required: generate one with"
              + " `openssl rand -base64 32` and keep it safe (tokens cannot be read without it).");
    }
    key = parseKey(generatedKey());
  }

  private String generatedKey() {
    Path dir =
        dataDir.filter(d -> !d.isBlank()).map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".tributary"));
    Path file = dir.resolve("token-encryption.key");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
      Files.createDirectories(dir);
      byte[] raw = new byte[32];
      RANDOM.nextBytes(raw);
      String encoded = Base64.getEncoder().encodeToString(raw);
      Files.writeString(file, encoded + "\n", StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system: the file keeps its default permissions.
      }
      LOG.warning(
          "TOKEN_ENCRYPTION_KEY is not set: generated a token encryption key at "
              + file
              + " for the embedded database. Set TOKEN_ENCRYPTION_KEY for production.");
      return encoded;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }

  static SecretKey parseKey(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("TOKEN_ENCRYPTION_KEY is not valid base64 (expected 32 random bytes, base64-encoded).");
    }
    if (raw.length != 32) {
      throw new IllegalStateException(
          "TOKEN_ENCRYPTION_KEY must be 32 bytes (base64 of 32 random bytes), got " + raw.length + " bytes.");
    }
    return new SecretKeySpec(raw, "AES");
  }

  /** Encrypts a token for the given connection; null stays null. */
  public String encrypt(String token, long connectionId) {
    if (token == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher c = ciphers.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(connectionId));
      byte[] sealed = c.doFinal(token.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
      out.put(VERSION).put(nonce).put(sealed);
      return Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Token encryption failed", e);
    }
  }

  /** Decrypts a token stored for the given connection; null stays null. */
  public String decrypt(String stored, long connectionId) {
    if (stored == null) {
      return null;
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored);
      if (all.length < 1 + NONCE_BYTES + 16 || all[0] != VERSION) {
        throw new IllegalStateException("Stored token has an unknown format");
      }
      Cipher c = ciphers.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 1, NONCE_BYTES));
      c.updateAAD(aad(connectionId));
      byte[] plain = c.doFinal(all, 1 + NONCE_BYTES, all.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Wrong key, tampered row or a token copied from another connection: never leak which.
      throw new IllegalStateException("Stored token cannot be decrypted (wrong TOKEN_ENCRYPTION_KEY?)");
    }
  }

  /**
   * A key for another purpose (e.g. signing OAuth {@code state}), derived from the token key so
   * operators manage one secret: HMAC-SHA256(token key, purpose).
   */
  public byte[] deriveKey(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Key derivation failed", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available in this JVM", e);
    }
  }

  private static byte[] aad(long connectionId) {
    return ("connection:" + connectionId).getBytes(StandardCharsets.US_ASCII);
  }
}
