package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenVaultTest {

  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  final TokenVault vault = TokenVault.withKey(KEY);

  @Test
  void aTokenComesBackForItsOwnConnectionOnly() {
    String sealed = vault.encrypt("ghp_secret", 42);
    assertEquals("ghp_secret", vault.decrypt(sealed, 42));
    assertThrows(IllegalStateException.class, () -> vault.decrypt(sealed, 43), "copied onto another connection's row");
    assertThrows(IllegalStateException.class, () -> TokenVault.withKey(OTHER_KEY).decrypt(sealed, 42), "another key");
  }

  @Test
  void everyEncryptionHasItsOwnNonce() {
    assertNotEquals(vault.encrypt("same", 1), vault.encrypt("same", 1));
    assertNull(vault.encrypt(null, 1));
    assertNull(vault.decrypt(null, 1));
  }

  @Test
  void aTamperedTokenIsRefusedAndTheThreadsCipherStillWorksAfterIt() {
    byte[] raw = Base64.getDecoder().decode(vault.encrypt("xoxb-token", 7));
    raw[raw.length - 1] ^= 1; // one bit of the tag
    String tampered = Base64.getEncoder().encodeToString(raw);
    assertThrows(IllegalStateException.class, () -> vault.decrypt(tampered, 7));
    assertThrows(IllegalStateException.class, () -> vault.decrypt("not base64!", 7));
    assertThrows(IllegalStateException.class, () -> vault.decrypt("AAAA", 7), "too short");
    // The same thread's cipher, after those failures, encrypts and decrypts as before.
    assertEquals("after", vault.decrypt(vault.encrypt("after", 7), 7));
  }

  @Test
  void threadsDoNotShareACipher() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    long id = thread * 10_000L + i;
                    String token = "token-" + id;
                    if (!token.equals(vault.decrypt(vault.encrypt(token, id), id))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertEquals(true, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
