package io.tributary.benchmark;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop load on read endpoints while a run is going: the clients are shared out among the
 * targets, each sends one request at a time to its target, and every latency is recorded, so the percentiles are exact (no
 * histogram buckets) and the request rate is what the server sustained.
 */
final class LoadGenerator {

  record Target(String name, String path, String authorization) {}

  private final List<Target> targets;
  private final List<Thread> threads = new ArrayList<>();
  // Per client: its target, its latencies in microseconds (the first 65,536), requests and errors.
  // Each client writes only its own slot; stop() reads them after joining the threads.
  private final int[] targetOf;
  private final long[][] latencies;
  private final int[] counts;
  private final int[] errors;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final long started = System.nanoTime();

  private LoadGenerator(URI base, int clients, List<Target> targets) {
    this.targets = targets;
    targetOf = new int[clients];
    latencies = new long[clients][1 << 16];
    counts = new int[clients];
    errors = new int[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      targetOf[c] = c % targets.size(); // each client keeps to one target: a slow one does not throttle the others
      Target target = targets.get(targetOf[c]);
      // Each client is one operator's browser or poller: its own connection and its own cookies
      // (the dashboard's session), as a real one would keep them.
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .cookieHandler(new java.net.CookieManager())
              .build();
      Thread th =
          new Thread(
              () -> {
                while (running.get()) {
                  HttpRequest req =
                      HttpRequest.newBuilder(base.resolve(target.path()))
                          .timeout(Duration.ofSeconds(30))
                          .header("Authorization", target.authorization())
                          .GET()
                          .build();
                  long t0 = System.nanoTime();
                  boolean ok;
                  try {
                    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    ok = r.statusCode() == 200 && r.body().length > 0;
                  } catch (Exception e) {
                    ok = false;
                  }
                  long micros = (System.nanoTime() - t0) / 1000;
                  int n = counts[client]++;
                  if (n < latencies[client].length) {
                    latencies[client][n] = micros;
                  }
                  if (!ok) {
                    errors[client]++;
                  }
                }
              },
              "load-" + c);
      th.setDaemon(true);
      threads.add(th);
    }
  }

  static LoadGenerator start(URI base, int clients, List<Target> targets) {
    LoadGenerator g = new LoadGenerator(base, clients, targets);
    g.threads.forEach(Thread::start);
    return g;
  }

  /** Stops the clients and summarises each target: requests, req/s, p50, p99, max, errors. */
  JsonObjectBuilder stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(60_000);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    JsonObjectBuilder out = Json.createObjectBuilder();
    for (int t = 0; t < targets.size(); t++) {
      int requests = 0;
      int errs = 0;
      List<Long> all = new ArrayList<>();
      for (int c = 0; c < counts.length; c++) {
        if (targetOf[c] != t) {
          continue;
        }
        requests += counts[c];
        errs += errors[c];
        for (int k = 0; k < Math.min(counts[c], latencies[c].length); k++) {
          all.add(latencies[c][k]);
        }
      }
      long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      out.add(
          targets.get(t).name(),
          Json.createObjectBuilder()
              .add("requests", requests)
              .add("seconds", seconds)
              .add("requestsPerSecond", requests / seconds)
              .add("p50Ms", percentile(sorted, 50) / 1000.0)
              .add("p99Ms", percentile(sorted, 99) / 1000.0)
              .add("maxMs", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0)
              .add("errors", errs));
    }
    return out;
  }

  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
