package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestEnvironment;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server's whole log, after a session that registers, syncs, refreshes, revokes and is attacked
 * with wrong credentials, holds no token, secret or password.
 */
class SecretsInLogsIT {

  static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Test
  void noTokenSecretOrPasswordEverReachesTheLog() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    String adminPassword = "pw-" + random();
    String cronSecret = "cron-" + random();
    String previousSecret = "prev-" + random();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String encryptionKey = Base64.getEncoder().encodeToString(key);
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestEnvironment.database().databaseUrl());
    env.put("ADMIN_USERNAME", "ops");
    env.put("ADMIN_PASSWORD", adminPassword);
    env.put("CRON_SECRET", cronSecret);
    env.put("CRON_SECRET_PREVIOUS", previousSecret);
    env.put("TOKEN_ENCRYPTION_KEY", encryptionKey);
    Map<String, String> props = new HashMap<>(sim.configProperties());
    props.put("tributary.demo", "false");
    props.put("sync.schedule.15min", "off");
    props.put("sync.schedule.30min", "off");
    props.put("provider.retry.base.ms", "20");
    for (String p : new String[] {"github", "notion", "slack", "google"}) {
      props.put(p + ".client.id", "client-" + p);
    }

    List<String> secrets = new ArrayList<>(List.of(adminPassword, cronSecret, previousSecret, encryptionKey));
    String log;
    try (PayaraProcess app = PayaraProcess.startWith("secrets", props, env, "-Xmx512m")) {
      Api admin = app.api().withAuthorization(Api.basic("ops", adminPassword));
      for (String provider : List.of("github", "notion", "slack", "google_calendar")) {
        Account a = sim.account(provider, "secrets-" + provider + "-" + System.nanoTime());
        a.seed(2);
        Tokens t = a.issueTokens(Duration.ofHours(1), true);
        secrets.add(t.accessToken());
        secrets.add(t.refreshToken());
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"secrets-user\",\"provider\":\"" + provider + "\",\"accessToken\":\"" + t.accessToken()
                    + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
        long id = r.json().getJsonNumber("id").longValue();
        a.expireAccessTokens(); // forces a refresh: new tokens flow through the service
        assertEquals(200, admin.post("/api/connections/" + id + "/sync", null).status());
        if (provider.equals("notion")) {
          a.revokeGrant(); // a failing refresh, logged as a failure
          sim.faults("notion").unauthorizedNext(1);
          admin.post("/api/connections/" + id + "/sync", null);
        }
      }
      assertEquals(401, app.api().withAuthorization(Api.basic("ops", adminPassword + "x")).get("/api/connections").status());
      assertEquals(401, app.api().withAuthorization("Bearer " + cronSecret + "x").post("/api/cron/sync-integrations", null).status());
      assertEquals(200, app.api().withAuthorization("Bearer " + previousSecret).post("/api/cron/sync-integrations", null).status());
      Api.Reply bad = admin.post("/api/connections", "{\"userId\":\"x\",\"provider\":\"nope\",\"accessToken\":\"" + secrets.get(4) + "\"}");
      assertEquals(400, bad.status());
      assertFalse(bad.body().contains(secrets.get(4)), "an error never echoes a token");
      log = app.log();
    }
    assertTrue(log.contains("Payara Micro"), "the log was captured");
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "a secret or token appears in the server log");
    }
    System.out.println("Server log lines scanned: " + log.lines().count() + ", secrets and tokens checked: " + secrets.size() + ", found: 0");
  }
}
