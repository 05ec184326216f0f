package io.tributary.benchmark;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Load on read endpoints while a run is going. Each target gets a share of the clients and a rate:
 *
 * <ul>
 *   <li>a rate above 0 is an <em>open</em> load, as wrk2 makes it: each client sends on a fixed
 *       schedule, and a request's latency counts from when it was due, not from when it went out.
 *       A slow answer delays the client's next requests, and that delay is in their latencies, so
 *       a stall shows in the percentiles instead of lowering the rate (no coordinated omission).
 *   <li>a rate of 0 is a <em>closed</em> load: each client sends its next request when the last
 *       is answered, so the rate is what the server sustained at saturation, and latencies include
 *       the queueing of that saturation.
 * </ul>
 *
 * Latencies go into an HdrHistogram per client (microseconds, 3 significant digits, up to 2
 * minutes), so every request counts however long the run. The load can start with a warm-up that
 * is not recorded (the JIT compiling the request paths, as on a server that has been up a while);
 * its backlog, if any, is dropped when the measurement starts.
 *
 * <p>Percentiles say how bad the tail is, not when it happened: each client also keeps, for every
 * second of the measurement (by when a request was due), its slowest latency and how many requests
 * took over {@link #SLOW_MICROS}. The summary names the worst seconds, to lay beside the app's GC
 * log and the run's progress.
 */
final class LoadGenerator {

  /** A read endpoint, its credentials, its share of the clients and its total rate (0: closed). */
  record Target(String name, String path, String authorization, int clients, double ratePerSecond) {}

  static final long MAX_LATENCY_MICROS = 120_000_000L;

  /** A request slower than this (the monitoring target's p99, 50 ms) counts in its second's series. */
  static final long SLOW_MICROS = 50_000L;

  /** One client's schedule and record; driven by {@link #next}, so a test can move its clock. */
  static final class Client {
    final Histogram latencies = new Histogram(MAX_LATENCY_MICROS, 3);
    final long intervalNanos; // 0: closed loop
    final long recordFrom; // requests due before this are the warm-up: sent, not recorded
    long due; // when the next request is due (open loop)
    long requests;
    long errors;
    /** Per second of the measurement, by due time: the slowest latency (µs) and the requests over {@link #SLOW_MICROS}. */
    long[] slowestPerSecond = new long[0];
    int[] slowPerSecond = new int[0];

    Client(long startNanos, long intervalNanos) {
      this(startNanos, intervalNanos, startNanos);
    }

    Client(long startNanos, long intervalNanos, long recordFrom) {
      this.intervalNanos = intervalNanos;
      this.due = startNanos;
      this.recordFrom = recordFrom;
    }

    /**
     * Sends one request: waits until it is due (open loop), sends it, records its latency from when
     * it was due, and schedules the next. The request's outcome is what {@code send} answers.
     */
    void next(LongSupplier nanoTime, Sleeper sleeper, Sender send) {
      long now = nanoTime.getAsLong();
      boolean warmUp = now < recordFrom;
      if (!warmUp && due < recordFrom) {
        due = now; // a backlog the warm-up left is not carried into the measurement
      }
      long from;
      if (intervalNanos > 0) {
        if (due > now) {
          sleeper.sleepNanos(due - now);
        }
        from = due;
        due += intervalNanos;
      } else {
        from = now;
      }
      boolean ok = send.send();
      if (warmUp) {
        return;
      }
      long micros = Math.max(0, (nanoTime.getAsLong() - from) / 1000);
      latencies.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
      int second = (int) Math.max(0, (from - recordFrom) / 1_000_000_000L);
      if (second >= slowestPerSecond.length) {
        int size = Math.max(second + 1, slowestPerSecond.length * 2);
        slowestPerSecond = java.util.Arrays.copyOf(slowestPerSecond, size);
        slowPerSecond = java.util.Arrays.copyOf(slowPerSecond, size);
      }
      slowestPerSecond[second] = Math.max(slowestPerSecond[second], micros);
      if (micros > SLOW_MICROS) {
        slowPerSecond[second]++;
      }
      requests++;
      if (!ok) {
        errors++;
      }
    }
  }

  interface Sender {
    /** Sends one request; true when it was answered 200 with a body. */
    boolean send();
  }

  interface Sleeper {
    void sleepNanos(long nanos);
  }

  private final List<Target> targets;
  private final List<Thread> threads = new ArrayList<>();
  private final List<List<Client>> clientsOf = new ArrayList<>();
  private volatile boolean running = true;
  private final long started = System.nanoTime();
  private final long measuredFrom;

  private LoadGenerator(URI base, List<Target> targets, Duration warmUp) {
    this.measuredFrom = started + warmUp.toNanos();
    this.targets = targets;
    for (Target target : targets) {
      List<Client> mine = new ArrayList<>();
      clientsOf.add(mine);
      long interval = target.ratePerSecond() > 0 ? Math.round(1e9 * target.clients() / target.ratePerSecond()) : 0;
      for (int c = 0; c < target.clients(); c++) {
        // Open-loop clients start spread over one interval, so their requests do not go out in bursts.
        Client client = new Client(started + interval * c / Math.max(1, target.clients()), interval, measuredFrom);
        mine.add(client);
        // Each client is one operator's browser or poller: its own connection, kept alive, and its
        // own cookies (the dashboard's session), as a real one would keep them. A blocking client:
        // the JDK's asynchronous one cost about 0.9 ms of CPU per request, on the same two cores
        // as the server it measures.
        BasicHttpClientConnectionManager connection = new BasicHttpClientConnectionManager();
        connection.setConnectionConfig(
            ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(5))
                .setSocketTimeout(Timeout.ofSeconds(30))
                .build());
        CloseableHttpClient http =
            HttpClients.custom()
                .setConnectionManager(connection)
                .setDefaultCookieStore(new BasicCookieStore())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .build();
        URI uri = base.resolve(target.path());
        Sender sender =
            () -> {
              HttpGet get = new HttpGet(uri);
              get.setHeader("Authorization", target.authorization());
              try {
                return http.execute(
                    get,
                    response -> {
                      byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                      return response.getCode() == 200 && body.length > 0;
                    });
              } catch (Exception e) {
                return false;
              }
            };
        Thread th =
            new Thread(
                () -> {
                  while (running) {
                    // Each client writes only its own record; stop() reads it after joining the thread.
                    client.next(System::nanoTime, LockSupport::parkNanos, sender);
                  }
                },
                "load-" + target.name() + "-" + c);
        th.setDaemon(true);
        threads.add(th);
      }
    }
  }

  /** Starts the clients; what is due in the first {@code warmUp} is sent but not recorded. */
  static LoadGenerator start(URI base, List<Target> targets, Duration warmUp) {
    LoadGenerator g = new LoadGenerator(base, targets, warmUp);
    g.threads.forEach(Thread::start);
    return g;
  }

  /** Stops the clients and summarises each target: rate asked, requests, req/s, p50, p99, p99.9, max, errors. */
  JsonObjectBuilder stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(60_000);
    }
    double seconds = (System.nanoTime() - measuredFrom) / 1e9;
    JsonObjectBuilder out = Json.createObjectBuilder();
    for (int t = 0; t < targets.size(); t++) {
      out.add(targets.get(t).name(), summary(targets.get(t), clientsOf.get(t), seconds));
    }
    return out;
  }

  static JsonObjectBuilder summary(Target target, List<Client> clients, double seconds) {
    Histogram all = new Histogram(MAX_LATENCY_MICROS, 3);
    long requests = 0;
    long errors = 0;
    int length = 0;
    for (Client c : clients) {
      all.add(c.latencies);
      requests += c.requests;
      errors += c.errors;
      length = Math.max(length, c.slowestPerSecond.length);
    }
    long[] slowest = new long[length];
    int[] slow = new int[length];
    for (Client c : clients) {
      for (int i = 0; i < c.slowestPerSecond.length; i++) {
        slowest[i] = Math.max(slowest[i], c.slowestPerSecond[i]);
        slow[i] += c.slowPerSecond[i];
      }
    }
    int secondsWithSlow = 0;
    for (int n : slow) {
      secondsWithSlow += n > 0 ? 1 : 0;
    }
    jakarta.json.JsonArrayBuilder worst = Json.createArrayBuilder();
    java.util.stream.IntStream.range(0, length).boxed()
        .filter(i -> slow[i] > 0)
        .sorted((x, y) -> Long.compare(slowest[y], slowest[x]))
        .limit(WORST_SECONDS)
        .sorted()
        .forEach(i -> worst.add(Json.createObjectBuilder().add("second", i).add("slowestMs", slowest[i] / 1000.0).add("slowRequests", slow[i])));
    return Json.createObjectBuilder()
        .add("load", target.ratePerSecond() > 0 ? "open" : "closed")
        .add("clients", target.clients())
        .add("rateAskedPerSecond", target.ratePerSecond())
        .add("requests", requests)
        .add("seconds", seconds)
        .add("requestsPerSecond", requests / seconds)
        .add("p50Ms", all.getValueAtPercentile(50) / 1000.0)
        .add("p99Ms", all.getValueAtPercentile(99) / 1000.0)
        .add("p999Ms", all.getValueAtPercentile(99.9) / 1000.0)
        .add("maxMs", all.getMaxValue() / 1000.0)
        .add("errors", errors)
        .add("secondsWithSlowRequests", secondsWithSlow)
        .add("worstSeconds", worst);
  }

  /** How many of the worst seconds the summary names (in time order). */
  static final int WORST_SECONDS = 8;
}
