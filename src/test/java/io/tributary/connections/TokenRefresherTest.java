package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.providers.ClientFixture;
import io.tributary.providers.Provider;
import io.tributary.providers.ProviderException;
import io.tributary.providers.github.GithubClient;
import io.tributary.simulator.Account;
import io.tributary.simulator.Tokens;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.ThreadBoundTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single-flight refresh on PostgreSQL against the simulator's rotating GitHub refresh tokens: however
 * many syncs find the token expired at once, the refresh token is spent exactly once.
 */
class TokenRefresherTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();
  ThreadBoundTransactions tx;
  ClientFixture f;
  TokenVault vault;
  TokenRefresher refresher;
  GithubClient client;
  Account account;
  Tokens tokens;
  long connectionId;

  @BeforeEach
  void setUp() throws Exception {
    f = new ClientFixture();
    tx = new ThreadBoundTransactions(POSTGRES.dataSource());
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    vault = TokenVault.withKey(Base64.getEncoder().encodeToString(key));
    refresher = new TokenRefresher();
    refresher.dataSource = tx;
    refresher.vault = vault;
    refresher.clock = Clock.systemUTC();
    client = new GithubClient(f.http, f.settings(Provider.GITHUB), f.clock);
    account = f.sim.account("github", "rotating-" + System.nanoTime());
    tokens = account.issueTokens(Duration.ofHours(8), true);
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO app_users (external_id) VALUES ('refresh-user-" + System.nanoTime() + "')");
      try (ResultSet rs = s.executeQuery("SELECT MAX(id) FROM app_users")) {
        rs.next();
        long userId = rs.getLong(1);
        s.execute("INSERT INTO connections (user_id, provider) VALUES (" + userId + ", 'github')");
      }
      try (ResultSet rs = s.executeQuery("SELECT MAX(id) FROM connections")) {
        rs.next();
        connectionId = rs.getLong(1);
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE connections SET access_token_enc = ?, refresh_token_enc = ? WHERE id = ?")) {
        ps.setString(1, vault.encrypt(tokens.accessToken(), connectionId));
        ps.setString(2, vault.encrypt(tokens.refreshToken(), connectionId));
        ps.setLong(3, connectionId);
        ps.executeUpdate();
      }
    }
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  long refreshCalls() {
    return f.sim.requests().stream().filter(r -> r.path().endsWith("/access_token")).count();
  }

  @Test
  void concurrentRefreshesSpendTheRotatingRefreshTokenOnce() throws Exception {
    int syncs = 6;
    ExecutorService pool = Executors.newFixedThreadPool(syncs);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < syncs; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return tx.inTransaction(() -> refresher.refresh(connectionId, tokens.accessToken(), client));
      }));
    }
    go.countDown();
    Set<String> newTokens = new HashSet<>();
    for (Future<String> r : results) {
      newTokens.add(r.get());
    }
    pool.shutdown();
    assertEquals(1, refreshCalls(), "one refresh for six syncs");
    assertEquals(1, newTokens.size(), "every sync continues with the same new token");
    assertNotEquals(tokens.accessToken(), newTokens.iterator().next());
    try (Connection c = POSTGRES.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT access_token_enc, refresh_token_enc FROM connections WHERE id = ?")) {
      ps.setLong(1, connectionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(newTokens.iterator().next(), vault.decrypt(rs.getString(1), connectionId));
        assertNotEquals(tokens.refreshToken(), vault.decrypt(rs.getString(2), connectionId), "the rotated refresh token is stored");
      }
    }
  }

  @Test
  void aRevokedGrantIsReauthAndNothingIsStored() throws Exception {
    account.revokeGrant();
    ProviderException e =
        assertThrows(ProviderException.class, () -> tx.inTransaction(() -> refresher.refresh(connectionId, tokens.accessToken(), client)));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
  }

  @Test
  void tokensAreEncryptedBoundToTheirConnection() {
    String sealed = vault.encrypt("ghu_secret", 7);
    assertEquals("ghu_secret", vault.decrypt(sealed, 7));
    assertThrows(IllegalStateException.class, () -> vault.decrypt(sealed, 8), "a token copied to another row does not open");
    assertNotEquals(sealed, vault.encrypt("ghu_secret", 7), "a fresh nonce every time");
    assertThrows(IllegalStateException.class, () -> TokenVault.withKey("dG9vIHNob3J0"), "a short key is refused");
  }
}
