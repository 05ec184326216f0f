package io.tributary.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the app's CPU went during the measured runs, from its JFR recording: the share of execution
 * samples whose stack passes through each cost centre (first match wins, in the order below), and the
 * hottest methods. Printed by the benchmark with {@code -Dbench.jfr=true}.
 */
final class JfrSummary {

  /** Cost centres; a frame matching several belongs to the first listed. */
  static final Map<String, Predicate<String>> CENTRES = new LinkedHashMap<>();

  static {
    CENTRES.put("JSON parsing (provider answers)", f -> f.startsWith("org.eclipse.parsson.JsonParser") || f.startsWith("org.eclipse.parsson.JsonTokenizer")
        || f.startsWith("io.tributary.providers.JsonScanner") || f.startsWith("io.tributary.providers.SourcedObject")
        || f.startsWith("io.tributary.providers.ProviderJson"));
    CENTRES.put("JSON writing", f -> f.startsWith("org.eclipse.parsson.JsonGenerator") || f.startsWith("org.eclipse.parsson.JsonWriter"));
    CENTRES.put("JDBC (PostgreSQL driver, pool)", f -> f.startsWith("org.postgresql.") || f.startsWith("com.sun.gjc.") || f.startsWith("com.sun.enterprise.resource."));
    CENTRES.put("JTA", f -> f.startsWith("com.sun.enterprise.transaction.") || f.startsWith("org.glassfish.cdi.transaction."));
    CENTRES.put("HTTP client (JDK)", f -> f.startsWith("jdk.internal.net.http.") || f.startsWith("java.net.http."));
    CENTRES.put("HTTP client (Jersey)", f -> f.startsWith("org.glassfish.jersey.client."));
    CENTRES.put("serving HTTP requests (Grizzly, Jersey, Faces)", f -> f.startsWith("org.glassfish.grizzly.") || f.startsWith("org.glassfish.jersey.server.") || f.startsWith("com.sun.faces."));
    CENTRES.put("managed task context", f -> f.startsWith("org.glassfish.concurrent.runtime.ContextSetupProviderImpl"));
    CENTRES.put("token decryption", f -> f.startsWith("io.tributary.connections.TokenVault"));
    CENTRES.put("sync engine and clients (own code)", f -> f.startsWith("io.tributary."));
  }

  private JfrSummary() {}

  static void print(Path recording, Instant from, Instant to) throws IOException {
    Map<String, Integer> centres = new LinkedHashMap<>();
    CENTRES.keySet().forEach(k -> centres.put(k, 0));
    centres.put("other (JVM, CDI proxies, collections, …)", 0);
    Map<String, Integer> hot = new TreeMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
        continue;
      }
      if (e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      String centre = "other (JVM, CDI proxies, collections, …)";
      // The nearest cost centre to the sampled frame: walking from the leaf, the first frame that
      // belongs to one (so a JDBC call made inside a transaction interceptor is JDBC, not JTA).
      found:
      for (RecordedFrame f : frames) {
        String type = f.getMethod().getType().getName();
        for (Map.Entry<String, Predicate<String>> c : CENTRES.entrySet()) {
          if (c.getValue().test(type)) {
            centre = c.getKey();
            break found;
          }
        }
      }
      centres.merge(centre, 1, Integer::sum);
      RecordedFrame top = frames.get(0);
      hot.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "JFR: %d execution samples of the app during the measured runs%n", samples);
    int n = Math.max(1, samples);
    centres.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(c -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", c.getValue() * 100.0 / n, c.getKey()));
    System.out.println("hottest methods (self):");
    hot.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(12)
        .forEach(h -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", h.getValue() * 100.0 / n, h.getKey()));
  }
}
