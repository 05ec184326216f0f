package io.tributary.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This instance's name in leases and the execution log ({@code TRIBUTARY_INSTANCE_ID}, or host/pid
 * plus a random suffix so a restarted process never mistakes an old lease for its own).
 */
@ApplicationScoped
public class InstanceIdentity {

  @Inject
  @ConfigProperty(name = "tributary.instance.id")
  Optional<String> configured;

  private String id;

  @PostConstruct
  void init() {
    id = configured.filter(s -> !s.isBlank()).map(String::strip).orElseGet(InstanceIdentity::generated);
  }

  private static String generated() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    return host + "/" + pid + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String id() {
    return id;
  }
}
