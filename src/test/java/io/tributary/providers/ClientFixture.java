package io.tributary.providers;

import io.tributary.simulator.ProviderSimulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider simulator on loopback plus the shared HTTP layer with a recording sleeper: client tests
 * see every wait the client asked for, and never sleep.
 */
public final class ClientFixture implements AutoCloseable {
  public final ProviderSimulator sim = ProviderSimulator.start(0);
  public final List<Duration> waits = new ArrayList<>();
  public final Clock clock = Clock.systemUTC();
  private final ProviderTransport transport = new ProviderTransport(Duration.ofSeconds(2), Duration.ofSeconds(2));
  public final ProviderHttp http =
      new ProviderHttp(
          transport,
          new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30), 3),
          waits::add,
          new RateBudgets(java.util.Map.of(), Clock.systemUTC()));

  public ProviderSettings settings(Provider p) {
    Map<String, String> c = sim.configProperties();
    String prefix = p.configPrefix();
    String api = p == Provider.GOOGLE_CALENDAR ? c.get("google.calendar.api.url") : c.get(prefix + ".api.url");
    return new ProviderSettings(
        URI.create(api),
        URI.create(c.get(prefix + ".token.url")),
        URI.create(c.get(prefix + ".authorize.url")),
        "client-" + prefix,
        "secret-" + prefix,
        "scope-a");
  }

  @Override
  public void close() {
    sim.close();
  }
}
