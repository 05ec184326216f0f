package io.tributary.providers;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;

/** The injected client of each provider, looked up by provider id. */
@ApplicationScoped
public class ProviderClients {

  @Inject @Any Instance<ProviderClient> discovered;
  @Inject org.eclipse.microprofile.config.Config config;

  private final Map<Provider, ProviderClient> byProvider = new EnumMap<>(Provider.class);

  @PostConstruct
  void index() {
    for (ProviderClient c : discovered) {
      byProvider.put(c.provider(), c);
    }
    for (Provider p : Provider.values()) {
      if (!byProvider.containsKey(p)) {
        throw new IllegalStateException("No client for provider " + p);
      }
    }
  }

  public ProviderSettings settings(Provider provider) {
    return ProviderSettings.from(config, provider);
  }

  public ProviderClient of(Provider provider) {
    return byProvider.get(provider);
  }
}
