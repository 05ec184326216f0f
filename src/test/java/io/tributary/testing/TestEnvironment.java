package io.tributary.testing;

import io.tributary.simulator.ProviderSimulator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Everything the integration tests need, set up once per test run before Arquillian starts Payara
 * Micro: a fresh PostgreSQL database, the provider simulator, fresh secrets, and the Payara Micro JVM
 * options that point the
 * WAR at them (the options are read when Arquillian creates its container configuration).
 *
 * <p>Only integration runs (Failsafe sets {@code tributary.war}) pay for this; unit tests do not.
 */
public class TestEnvironment implements LauncherSessionListener {

  private static TestDatabase database;
  private static ProviderSimulator simulator;
  private static final Map<String, String> SERVER_PROPERTIES = new LinkedHashMap<>();

  public static final String ADMIN_USERNAME = "admin";
  public static final String ADMIN_PASSWORD = randomSecret(18);
  public static final String CRON_SECRET = randomSecret(32);
  public static final String CRON_SECRET_PREVIOUS = randomSecret(32);
  public static final String TOKEN_ENCRYPTION_KEY = Base64.getEncoder().encodeToString(randomBytes(32));

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getProperty("tributary.war") == null || database != null) {
      return;
    }
    database = TestDatabase.create();
    // The deployed WAR talks to this simulator over loopback; tests drive it in-process.
    simulator = ProviderSimulator.start(0);
    SERVER_PROPERTIES.putAll(simulator.configProperties());
    // Fast retries and short rate-limit waits keep fault tests quick without changing behaviour.
    SERVER_PROPERTIES.put("provider.retry.base.ms", "20");
    SERVER_PROPERTIES.put("provider.ratelimit.max.wait.seconds", "2");
    SERVER_PROPERTIES.put("provider.http.read.timeout.ms", "3000");
    for (String p : new String[] {"github", "notion", "slack", "google"}) {
      SERVER_PROPERTIES.put(p + ".client.id", "tributary-" + p);
      SERVER_PROPERTIES.put(p + ".client.secret", randomSecret(16));
    }
    // Runs start only when a test triggers them: a timer firing mid-test would change its counts.
    // (The scheduler's slot logic is tested on its own, with a moved clock.)
    SERVER_PROPERTIES.put("sync.schedule.15min", "off");
    SERVER_PROPERTIES.put("sync.schedule.30min", "off");
    // The black-box tests read the monitoring JSON right after changing the database behind the
    // server's back; its one-second snapshot cache has its own test (MonitoringSnapshotsTest).
    SERVER_PROPERTIES.put("monitoring.cache.millis", "0");
    SERVER_PROPERTIES.put("database.url", database.databaseUrl());
    SERVER_PROPERTIES.put("admin.username", ADMIN_USERNAME);
    SERVER_PROPERTIES.put("admin.password", ADMIN_PASSWORD);
    SERVER_PROPERTIES.put("cron.secret", CRON_SECRET);
    SERVER_PROPERTIES.put("cron.secret.previous", CRON_SECRET_PREVIOUS);
    SERVER_PROPERTIES.put("token.encryption.key", TOKEN_ENCRYPTION_KEY);
    SERVER_PROPERTIES.put("tributary.demo", "false");
    String jvmOptions =
        "-Xmx768m "
            + SERVER_PROPERTIES.entrySet().stream()
                .map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    System.setProperty("payara.cmdOptions", jvmOptions);
    System.setProperty("payara.extraMicroOptions", "--nocluster");
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (simulator != null) {
      simulator.close();
      simulator = null;
    }
    if (database != null) {
      database.close();
      database = null;
    }
  }

  /** The PostgreSQL database the deployed WAR uses. */
  public static TestDatabase database() {
    if (database == null) {
      throw new IllegalStateException("The integration test environment is not set up (run through Failsafe)");
    }
    return database;
  }

  /** The server configuration every deployed WAR of this run gets (as -D system properties). */
  public static java.util.Map<String, String> serverProperties() {
    return java.util.Collections.unmodifiableMap(SERVER_PROPERTIES);
  }

  /** The provider simulator the deployed WAR is configured against. */
  public static ProviderSimulator simulator() {
    if (simulator == null) {
      throw new IllegalStateException("The integration test environment is not set up (run through Failsafe)");
    }
    return simulator;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String randomSecret(int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
  }
}
