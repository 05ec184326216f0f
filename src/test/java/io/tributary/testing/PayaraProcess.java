package io.tributary.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Payara Micro process of our own, for tests that must kill it (kill -9) or run several: started
 * with the test run's configuration plus overrides, on a free loopback port.
 */
public final class PayaraProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private PayaraProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static PayaraProcess start(String name, Map<String, String> overrides) throws IOException {
    Map<String, String> props = new java.util.LinkedHashMap<>(TestEnvironment.serverProperties());
    props.putAll(overrides);
    return startWith(name, props, "-Xmx512m");
  }

  /** With exactly these system properties (no test-run defaults), e.g. for benchmarks. */
  public static PayaraProcess startWith(String name, Map<String, String> props, String... jvmOptions) throws IOException {
    return startWith(name, props, Map.of(), jvmOptions);
  }

  /** With secrets in the environment, as an operator passes them (never on the command line). */
  public static PayaraProcess startWith(
      String name, Map<String, String> props, Map<String, String> environment, String... jvmOptions) throws IOException {
    return startWar(new File(System.getProperty("tributary.war", "target/tributary.war")), name, props, environment, jvmOptions);
  }

  /** A given WAR, e.g. the real one plus a test seam (see {@code ShiftedClockProducer}). */
  public static PayaraProcess startWar(
      File war, String name, Map<String, String> props, Map<String, String> environment, String... jvmOptions) throws IOException {
    int port = TestDatabase.freePort();
    Path log = Path.of("target", "payara-" + name + "-" + port + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOptions));
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(
        List.of(
            "-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
            "--nocluster", "--port", Integer.toString(port), "--contextroot", "/",
            "--deploy", war.getAbsolutePath()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(environment);
    Process p = pb.start();
    PayaraProcess pp = new PayaraProcess(p, port, log);
    pp.awaitReady(Duration.ofMinutes(3));
    return pp;
  }

  public long pid() {
    return process.pid();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public Api api() {
    return new Api(base());
  }

  private void awaitReady(Duration max) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    Instant giveUp = Instant.now().plus(max);
    while (Instant.now().isBefore(giveUp)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Payara Micro exited during startup; see " + log);
      }
      try {
        HttpResponse<String> r =
            http.send(HttpRequest.newBuilder(base().resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && process.isAlive()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      // Payara Micro stays up when the WAR fails to deploy; without this the test waited out `max`
      // and its report named no cause.
      String failure = deploymentFailure(log());
      if (failure != null) {
        throw new IllegalStateException("Payara Micro started without the WAR; see " + log + "\n" + failure);
      }
      try {
        Thread.sleep(500); // waiting for an external process to boot, not for test time to pass
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Payara Micro not ready in " + max + "; see " + log);
  }

  private static final Pattern BOOT_FINISHED = Pattern.compile("Payara Micro \\S+ .*ready in [0-9,]+ \\(ms\\)");
  private static final Pattern SOMETHING_DEPLOYED = Pattern.compile("Deployed [1-9][0-9]* archive\\(s\\)");

  /**
   * When Payara Micro's log says it finished booting with no archive deployed: its SEVERE records
   * (each up to the blank line that ends it, where the stack trace is), else a line saying there
   * were none; otherwise null (still booting, or deployed).
   */
  static String deploymentFailure(String log) {
    if (!BOOT_FINISHED.matcher(log).find() || SOMETHING_DEPLOYED.matcher(log).find()) {
      return null;
    }
    StringBuilder severe = new StringBuilder();
    for (String record : log.split("\\R\\s*\\R")) {
      if (record.contains("SEVERE") && severe.length() < 8_000) {
        severe.append(record.strip()).append('\n');
      }
    }
    return severe.length() > 0 ? severe.toString() : "(no SEVERE record in the log)";
  }

  /** kill -9: no shutdown hooks, no chance to clean up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
