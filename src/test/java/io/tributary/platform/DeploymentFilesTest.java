package io.tributary.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs on our machines, so the image and compose files are checked against what is
 * built and tested: the same Payara Micro version, the same context root and variables.
 */
class DeploymentFilesTest {

  static String read(String path) throws Exception {
    return Files.readString(Path.of(path));
  }

  @Test
  void theImageUsesThePayaraMicroVersionTheBuildTestsWith() throws Exception {
    Matcher m = Pattern.compile("<payara.version>([^<]+)</payara.version>").matcher(read("pom.xml"));
    assertTrue(m.find());
    String dockerfile = read("docker/Dockerfile");
    assertTrue(dockerfile.contains("FROM payara/micro:" + m.group(1) + "-jdk17"), "Dockerfile base image is payara/micro:" + m.group(1));
    assertTrue(dockerfile.contains("\"--contextroot\", \"/\""), "served at the root context");
    assertTrue(dockerfile.contains("/health/ready"), "the health check is the readiness endpoint");
  }

  @Test
  void composeWiresTheAppToPostgresql15ByALibpqDatabaseUrlWithTwoInstances() throws Exception {
    String compose = read("docker/compose.yaml");
    assertTrue(compose.contains("image: postgres:15"));
    assertTrue(Pattern.compile("DATABASE_URL: postgresql://[^:]+:[^@]+@db:5432/\\w+").matcher(compose).find(), "libpq form");
    for (String required : new String[] {"TOKEN_ENCRYPTION_KEY", "CRON_SECRET", "ADMIN_PASSWORD"}) {
      assertTrue(compose.contains(required + ": ${" + required + ":?"), required + " must be given, never defaulted");
    }
    assertTrue(compose.contains("replicas: 2"));
    assertTrue(compose.contains("condition: service_healthy"));
  }

  /** The JVM flags the service relies on (README, Deploying), the same wherever it is started. */
  @Test
  void theRunProfileTheImageAndTheBenchmarkStartTheJvmWithTheSameFlags() throws Exception {
    String pom = read("pom.xml");
    String dockerfile = read("docker/Dockerfile");
    String benchmark = read("src/test/java/io/tributary/benchmark/SyncBenchmark.java");
    for (String flag :
        new String[] {
          "-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=19", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
          "-XX:MaxNewSize=64m", "-XX:TargetSurvivorRatio=90"
        }) {
      assertTrue(pom.contains("<argument>" + flag + "</argument>"), "run profile: " + flag);
      assertTrue(dockerfile.contains("\"" + flag + "\""), "Dockerfile: " + flag);
      assertTrue(benchmark.contains("\"" + flag + "\""), "benchmark: " + flag);
    }
  }
}
