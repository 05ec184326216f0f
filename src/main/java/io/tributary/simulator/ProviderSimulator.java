package io.tributary.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Imitates the GitHub, Notion, Slack and Google Calendar APIs and their OAuth endpoints on one
 * loopback HTTP server, true to {@code PROVIDERS.md}: pagination, incremental cursors, token expiry
 * and rotation, and each provider's error and rate-limit shapes. Tributary's base URLs point here
 * ({@link #configProperties}).
 *
 * <p>Used by unit tests (in-process), Arquillian tests (started in the test JVM, called by Payara
 * over loopback), demo mode (started inside the WAR) and benchmarks ({@link #main}). It depends
 * only on the JDK and Jakarta JSON-P and on no other Tributary code.
 *
 * <p>Tests arrange data and tokens through {@link #account}, failures through {@link #faults}, move
 * time with {@link #clock}, and assert on {@link #requests}. In generated mode ({@link
 * #setGenerated}) any token {@code gen-<provider>-<accountId>} is valid and the data is computed
 * from hashes, so a million accounts cost no memory.
 *
 * <p>Thread-safe. Requests are handled on a bounded pool; latency and timeouts are timers, not
 * sleeping threads, so slow answers do not exhaust it.
 */
public final class ProviderSimulator implements AutoCloseable {
  /** The requests kept for {@link #requests}: enough for any test, bounded for long runs. */
  private static final int LOG_LIMIT = 100_000;

  private static final int LOG_LIMIT_GENERATED = 1_000;
  private static final int MAX_BODY = 1 << 20;
  private static final Duration HANG = Duration.ofSeconds(60);
  private static final String UNKNOWN = "unknown";

  static {
    // The JDK server writes headers and body in separate packets; with Nagle's algorithm and the
    // client's delayed ACK every answer would wait ~40 ms. The JDK reads this once per JVM, before
    // its first HttpServer; it touches no other server (Payara's HTTP stack is Grizzly).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private record Route(Provider provider, Endpoint endpoint, String subPath) {}

  private enum Endpoint {
    API,
    TOKEN,
    AUTHORIZE
  }

  private record LogEntry(RecordedRequest request, boolean api) {}

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timers;
  private final URI baseUri;
  private final SimClock clock = new SimClock();
  private final TokenRegistry tokens = new TokenRegistry(clock);
  private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<Provider, Faults> faults = new EnumMap<>(Provider.class);
  private final Map<Provider, ProviderApi> apis = new EnumMap<>(Provider.class);
  private final Map<Provider, LongAdder> apiCalls = new EnumMap<>(Provider.class);
  private final OAuthEndpoints oauth = new OAuthEndpoints(this);
  private final ArrayDeque<LogEntry> log = new ArrayDeque<>(); // guarded by itself
  private volatile GeneratedData generated;
  private volatile boolean closed;

  private ProviderSimulator(int port) throws IOException {
    for (Provider provider : Provider.values()) {
      faults.put(provider, new Faults());
      apiCalls.put(provider, new LongAdder());
    }
    apis.put(Provider.GITHUB, new GithubApi(this));
    apis.put(Provider.NOTION, new NotionApi(this));
    apis.put(Provider.SLACK, new SlackApi(this));
    apis.put(Provider.GOOGLE_CALENDAR, new GoogleCalendarApi(this));
    // Loopback only: the simulator must never be reachable from outside the machine.
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    handlers = Executors.newFixedThreadPool(64, daemonThreads("provider-simulator-"));
    timers = Executors.newScheduledThreadPool(2, daemonThreads("provider-simulator-timer-"));
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
    baseUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Starts a simulator on 127.0.0.1:{@code port} (0 = an ephemeral port). */
  public static ProviderSimulator start(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    try {
      return new ProviderSimulator(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the provider simulator to 127.0.0.1:" + port, e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUri() {
    return baseUri;
  }

  public int port() {
    return baseUri.getPort();
  }

  /** Stops serving; requests left hanging by a timeout fault are cut off. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timers.shutdownNow();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** The base URLs for Tributary, keyed by its MicroProfile Config property names. */
  public Map<String, String> configProperties() {
    String base = baseUri.toString();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("github.api.url", base + "/github");
    properties.put("github.token.url", base + "/github/login/oauth/access_token");
    properties.put("github.authorize.url", base + "/github/login/oauth/authorize");
    properties.put("notion.api.url", base + "/notion");
    properties.put("notion.token.url", base + "/notion/v1/oauth/token");
    properties.put("notion.authorize.url", base + "/notion/v1/oauth/authorize");
    properties.put("slack.api.url", base + "/slack/api");
    properties.put("slack.token.url", base + "/slack/api/oauth.v2.access");
    properties.put("slack.authorize.url", base + "/slack/oauth/v2/authorize");
    properties.put("google.calendar.api.url", base + "/google/calendar/v3");
    properties.put("google.token.url", base + "/google/token");
    properties.put("google.authorize.url", base + "/google/o/oauth2/v2/auth");
    return Collections.unmodifiableMap(properties);
  }

  /** The clock behind update times, token expiry and rate-limit windows. */
  public SimClock clock() {
    return clock;
  }

  /**
   * The account {@code accountId} at {@code provider} ("github", "notion", "slack",
   * "google_calendar"), created on first use.
   */
  public Account account(String provider, String accountId) {
    Provider p = Provider.of(provider);
    if (accountId == null || accountId.isBlank()) {
      throw new IllegalArgumentException("accountId must not be blank");
    }
    return accounts.computeIfAbsent(
        p.id + "\n" + accountId, key -> new Account(p, accountId, clock, tokens));
  }

  /** The faults of one provider's API. */
  public Faults faults(String provider) {
    return faults.get(Provider.of(provider));
  }

  /**
   * Every request received, in order, OAuth endpoints included. The log keeps the latest 100,000
   * (1,000 in generated mode, which is for load).
   */
  public List<RecordedRequest> requests() {
    synchronized (log) {
      List<RecordedRequest> copy = new ArrayList<>(log.size());
      for (LogEntry entry : log) {
        copy.add(entry.request());
      }
      return copy;
    }
  }

  /** API calls to {@code provider} (not token or authorize calls), exact even in generated mode. */
  public long requestCount(String provider) {
    return apiCalls.get(Provider.of(provider)).sum();
  }

  /** API calls to {@code provider} whose path contains {@code pathContains} (from the log). */
  public long requestCount(String provider, String pathContains) {
    String id = Provider.of(provider).id;
    Objects.requireNonNull(pathContains, "pathContains");
    synchronized (log) {
      return log.stream()
          .filter(e -> e.api() && e.request().provider().equals(id))
          .filter(e -> e.request().path().contains(pathContains))
          .count();
    }
  }

  /** Forgets the request log and the counts. */
  public void clearRequests() {
    synchronized (log) {
      log.clear();
      apiCalls.values().forEach(LongAdder::reset);
    }
  }

  /**
   * The id of the one Slack channel an account has in generated mode (benchmarks that load a synced
   * state by hand need it for the channel's history cursor).
   */
  public static String generatedSlackChannel(String accountId) {
    return "C" + GeneratedFeed.tag(accountId).toUpperCase(java.util.Locale.ROOT);
  }

  /** A Google sync token the generated mode accepts as an incremental one (generation {@code n}). */
  public static String generatedCalendarSyncToken(long generation) {
    return GeneratedFeed.encodeCursor("gs:" + generation);
  }

  /** Turns generated mode on with this shape, or off with null. */
  public void setGenerated(GeneratedData shape) {
    generated = shape;
    if (shape != null) {
      synchronized (log) {
        while (log.size() > LOG_LIMIT_GENERATED) {
          log.removeFirst();
        }
      }
    }
  }

  // ---- for the handlers ----

  TokenRegistry tokens() {
    return tokens;
  }

  GeneratedData generated() {
    return generated;
  }

  int accountCount() {
    return accounts.size();
  }

  // ---- request handling ----

  private void handle(HttpExchange exchange) {
    try {
      byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
      String path = exchange.getRequestURI().getPath();
      Route route = route(path);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      SimRequest request =
          new SimRequest(
              exchange.getRequestMethod().toUpperCase(Locale.ROOT),
              path,
              route == null ? path : route.subPath(),
              SimRequest.parseQuery(exchange.getRequestURI().getRawQuery()),
              headers,
              new String(bytes, StandardCharsets.UTF_8));
      record(route, request);
      if (bytes.length > MAX_BODY) {
        write(exchange, SimResponse.text(413, "text/plain; charset=utf-8", "Body too large."));
        return;
      }
      if (route == null) {
        write(exchange, unrouted(request));
        return;
      }
      switch (route.endpoint()) {
        case TOKEN -> write(exchange, oauth.token(route.provider(), request));
        case AUTHORIZE -> write(exchange, oauth.authorize(route.provider(), request));
        case API -> apiCall(exchange, route.provider(), request);
      }
    } catch (RuntimeException | IOException e) {
      // A simulator bug must not look like a provider answer: a plain 500 naming the cause.
      write(
          exchange,
          SimResponse.json(
              500,
              JsonBodies.object()
                  .add("error", "simulator_error")
                  .add("message", String.valueOf(e))
                  .build()));
    }
  }

  /** Faults are decided first, before the token is looked at; then auth; then the endpoint. */
  private void apiCall(HttpExchange exchange, Provider provider, SimRequest request) {
    apiCalls.get(provider).increment();
    Faults providerFaults = faults.get(provider);
    Duration latency = providerFaults.latency();
    Faults.Decision decision = providerFaults.decide();
    ProviderApi api = apis.get(provider);
    SimResponse response =
        switch (decision.kind()) {
          case DOWN, FAIL -> api.error(decision.status());
          case TIMEOUT -> SimResponse.HANG;
          case RATE_LIMIT -> api.rateLimited(decision.retryAfterSeconds(), false);
          case SECONDARY_RATE_LIMIT -> api.rateLimited(decision.retryAfterSeconds(), true);
          case UNAUTHORIZED -> api.unauthorized(TokenRegistry.AuthStatus.UNKNOWN);
          case NONE, MALFORMED -> null;
        };
    if (response == null) {
      response = api.preAuth(request);
    }
    if (response == null) {
      GeneratedData shape = generated;
      TokenRegistry.Auth auth = tokens.authenticate(provider, request.bearer(), shape);
      if (!auth.ok()) {
        response = api.unauthorized(auth.status());
      } else if (auth.status() == TokenRegistry.AuthStatus.GENERATED) {
        response = api.serveGenerated(request, auth.generatedAccountId(), shape);
      } else {
        response = api.serve(request, auth.account(), providerFaults);
      }
      if (decision.kind() == Faults.Kind.MALFORMED) {
        response = response.truncated();
      }
    }
    if (response == SimResponse.HANG) {
      // Hold the exchange open unanswered; close() cuts it off earlier by stopping the server.
      schedule(exchange::close, HANG);
      return;
    }
    SimResponse answer = api.decorate(response, request.bearer());
    if (latency.isZero()) {
      write(exchange, answer);
    } else {
      // A timer, not a sleeping handler thread, so heavy latency cannot exhaust the pool.
      schedule(() -> handlers.execute(() -> write(exchange, answer)), latency);
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: the server stop drops the connection.
    }
  }

  private SimResponse unrouted(SimRequest request) {
    if (request.path().equals("/") && request.method().equals("GET")) {
      var properties = JsonBodies.object();
      configProperties().forEach(properties::add);
      return SimResponse.json(
          200,
          JsonBodies.object()
              .add("simulator", "tributary provider simulator")
              .add("generated", generated != null)
              .add("config", properties)
              .build());
    }
    return SimResponse.json(
        404,
        JsonBodies.object()
            .add("error", "not_found")
            .add("message", "No simulated endpoint at " + request.path() + "; see GET /")
            .build());
  }

  private static void write(HttpExchange exchange, SimResponse response) {
    try {
      Headers headers = exchange.getResponseHeaders();
      response.headers.forEach(headers::set);
      byte[] body = response.body;
      if (body.length == 0) {
        exchange.sendResponseHeaders(response.status, -1);
      } else {
        exchange.sendResponseHeaders(response.status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The client went away (or gave up after its timeout); nothing to answer.
    } finally {
      exchange.close();
    }
  }

  private void record(Route route, SimRequest request) {
    String provider = route == null ? UNKNOWN : route.provider().id;
    RecordedRequest recorded =
        new RecordedRequest(
            provider,
            request.method(),
            request.path(),
            request.query(),
            request.headers(),
            request.body(),
            clock.now());
    int limit = generated != null ? LOG_LIMIT_GENERATED : LOG_LIMIT;
    synchronized (log) {
      log.addLast(new LogEntry(recorded, route != null && route.endpoint() == Endpoint.API));
      while (log.size() > limit) {
        log.removeFirst();
      }
    }
  }

  /** Maps a path to its provider endpoint, or null. */
  private static Route route(String path) {
    if (path == null) {
      return null;
    }
    return switch (path) {
      case "/github/login/oauth/access_token" -> new Route(Provider.GITHUB, Endpoint.TOKEN, path);
      case "/github/login/oauth/authorize" -> new Route(Provider.GITHUB, Endpoint.AUTHORIZE, path);
      case "/notion/v1/oauth/token" -> new Route(Provider.NOTION, Endpoint.TOKEN, path);
      case "/notion/v1/oauth/authorize" -> new Route(Provider.NOTION, Endpoint.AUTHORIZE, path);
      case "/slack/api/oauth.v2.access" -> new Route(Provider.SLACK, Endpoint.TOKEN, path);
      case "/slack/oauth/v2/authorize" -> new Route(Provider.SLACK, Endpoint.AUTHORIZE, path);
      case "/google/token" -> new Route(Provider.GOOGLE_CALENDAR, Endpoint.TOKEN, path);
      case "/google/o/oauth2/v2/auth" ->
          new Route(Provider.GOOGLE_CALENDAR, Endpoint.AUTHORIZE, path);
      default -> apiRoute(path);
    };
  }

  private static Route apiRoute(String path) {
    String[][] bases = {
      {"/github", "github"},
      {"/notion", "notion"},
      {"/slack/api", "slack"},
      {"/google/calendar/v3", "google_calendar"}
    };
    for (String[] base : bases) {
      if (path.startsWith(base[0] + "/")) {
        return new Route(Provider.of(base[1]), Endpoint.API, path.substring(base[0].length()));
      }
    }
    return null;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true); // never keeps a test JVM or Payara from exiting
      return thread;
    };
  }

  // ---- standalone ----

  /**
   * Runs the simulator standalone (benchmarks): {@code --port N --latency-ms N --generated
   * [--changed-max 3 --full-sync-percent 5 --full-sync-pages 2 --page-size 100]}. Prints "simulator
   * listening on http://127.0.0.1:N" and serves until killed.
   */
  public static void main(String[] args) {
    int port = 0;
    long latencyMs = 0;
    boolean generatedMode = false;
    int changedMax = 3;
    int fullSyncPercent = 5;
    int fullSyncPages = 2;
    int pageSize = 100;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--generated" -> generatedMode = true;
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--latency-ms" -> latencyMs = Long.parseLong(value(args, ++i, arg));
        case "--changed-max" -> changedMax = Integer.parseInt(value(args, ++i, arg));
        case "--full-sync-percent" -> fullSyncPercent = Integer.parseInt(value(args, ++i, arg));
        case "--full-sync-pages" -> fullSyncPages = Integer.parseInt(value(args, ++i, arg));
        case "--page-size" -> pageSize = Integer.parseInt(value(args, ++i, arg));
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + arg
                    + "; usage: ProviderSimulator [--port N] [--latency-ms N] [--generated"
                    + " [--changed-max 3] [--full-sync-percent 5] [--full-sync-pages 2]"
                    + " [--page-size 100]]");
      }
    }
    GeneratedData shape =
        generatedMode
            ? new GeneratedData(changedMax, fullSyncPercent, fullSyncPages, pageSize)
            : null;
    Duration latency = Duration.ofMillis(latencyMs); // validated before anything is bound
    if (latency.isNegative()) {
      throw new IllegalArgumentException("--latency-ms must not be negative");
    }
    ProviderSimulator simulator = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    for (Provider provider : Provider.values()) {
      simulator.faults(provider.id).latency(latency);
    }
    simulator.setGenerated(shape);
    System.out.println("simulator listening on " + simulator.baseUri());
    System.out.flush();
    try {
      Thread.currentThread().join(); // serves until the process is killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      simulator.close();
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }
}
