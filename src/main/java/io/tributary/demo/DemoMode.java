package io.tributary.demo;

import io.tributary.connections.ConnectionStore;
import io.tributary.providers.Provider;
import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Demo mode (the default with the embedded database): starts the provider simulator on loopback and
 * registers a few users' connections to it, so a first start shows real syncs, a failing provider
 * and a connection needing re-authorisation. Off in production: nothing listens, nothing is seeded.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrations")
public class DemoMode {

  private static final Logger LOG = Logger.getLogger(DemoMode.class.getName());
  static final List<String> USERS = List.of("demo-alice", "demo-bob", "demo-carol");

  @Inject ConnectionStore connections;

  private ProviderSimulator simulator;

  @PostConstruct
  void start() {
    if (!DemoSimulatorConfigSource.demoMode()) {
      return;
    }
    simulator = ProviderSimulator.start(DemoSimulatorConfigSource.port());
    for (String user : USERS) {
      for (Provider p : Provider.values()) {
        Account account = simulator.account(p.id(), user);
        account.seed(20);
        // The simulator is new at every start: re-registering hands the demo connections fresh tokens.
        Tokens t = account.issueTokens(Duration.ofHours(1), true);
        connections.register(user, p, t.accessToken(), t.refreshToken(), null, "demo");
      }
    }
    // Some trouble to look at: carol revoked her Notion grant.
    simulator.account(Provider.NOTION.id(), "demo-carol").revokeGrant();
    LOG.warning(
        "DEMO MODE: provider simulator on http://127.0.0.1:" + simulator.port() + " with "
            + USERS.size() * Provider.values().length
            + " demo connections. Set DATABASE_URL (and TRIBUTARY_DEMO=false) for production.");
  }

  @PreDestroy
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
