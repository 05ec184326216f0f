package io.tributary.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In demo mode, points the provider clients at the built-in simulator on loopback, below
 * environment variables and system properties (ordinal 150), so an operator's own setting always
 * wins. Outside demo mode it provides nothing.
 *
 * <p>It decides demo mode from the raw environment, as a config source cannot consult the config it
 * is part of: {@code TRIBUTARY_DEMO} / {@code tributary.demo}, else "no {@code DATABASE_URL}".
 */
public class DemoSimulatorConfigSource implements ConfigSource {

  private static volatile Integer port;

  static boolean demoMode() {
    String explicit = firstSet(System.getProperty("tributary.demo"), System.getenv("TRIBUTARY_DEMO"));
    if (explicit != null) {
      return Boolean.parseBoolean(explicit.strip());
    }
    return firstSet(System.getProperty("database.url"), System.getenv("DATABASE_URL")) == null;
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** The loopback port of the demo simulator: TRIBUTARY_DEMO_SIMULATOR_PORT, else a free one. */
  static synchronized int port() {
    if (port == null) {
      String configured =
          firstSet(System.getProperty("tributary.demo.simulator.port"), System.getenv("TRIBUTARY_DEMO_SIMULATOR_PORT"));
      if (configured != null) {
        port = Integer.parseInt(configured.strip());
      } else {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = s.getLocalPort();
        } catch (IOException e) {
          throw new IllegalStateException("No free loopback port for the demo simulator", e);
        }
      }
    }
    return port;
  }

  static Map<String, String> urls(int port) {
    String base = "http://127.0.0.1:" + port;
    return Map.ofEntries(
        Map.entry("github.api.url", base + "/github"),
        Map.entry("github.token.url", base + "/github/login/oauth/access_token"),
        Map.entry("github.authorize.url", base + "/github/login/oauth/authorize"),
        Map.entry("notion.api.url", base + "/notion"),
        Map.entry("notion.token.url", base + "/notion/v1/oauth/token"),
        Map.entry("notion.authorize.url", base + "/notion/v1/oauth/authorize"),
        Map.entry("slack.api.url", base + "/slack/api"),
        Map.entry("slack.token.url", base + "/slack/api/oauth.v2.access"),
        Map.entry("slack.authorize.url", base + "/slack/oauth/v2/authorize"),
        Map.entry("google.calendar.api.url", base + "/google/calendar/v3"),
        Map.entry("google.token.url", base + "/google/token"),
        Map.entry("google.authorize.url", base + "/google/o/oauth2/v2/auth"),
        // The simulator accepts any client; these make the demo's OAuth connect flow work.
        Map.entry("github.client.id", "demo-github"),
        Map.entry("github.client.secret", "demo"),
        Map.entry("notion.client.id", "demo-notion"),
        Map.entry("notion.client.secret", "demo"),
        Map.entry("slack.client.id", "demo-slack"),
        Map.entry("slack.client.secret", "demo"),
        Map.entry("google.client.id", "demo-google"),
        Map.entry("google.client.secret", "demo"));
  }

  @Override
  public Map<String, String> getProperties() {
    return demoMode() ? urls(port()) : Map.of();
  }

  @Override
  public Set<String> getPropertyNames() {
    return getProperties().keySet();
  }

  @Override
  public String getValue(String propertyName) {
    if (!(propertyName.endsWith(".url") || propertyName.contains(".client.")) || !demoMode()) {
      return null;
    }
    return urls(port()).get(propertyName);
  }

  @Override
  public String getName() {
    return "tributary-demo-simulator";
  }

  @Override
  public int getOrdinal() {
    return 150;
  }
}
