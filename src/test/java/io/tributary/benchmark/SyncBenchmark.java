package io.tributary.benchmark;

import io.tributary.connections.TokenVault;
import io.tributary.simulator.GeneratedData;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.testing.Api;
import io.tributary.testing.Databases;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The sync engine at scale, on this machine: N users × 4 connections bulk-loaded into a fresh
 * PostgreSQL database, the provider simulator in generated mode with a per-request latency, and the
 * real WAR on Payara Micro. A warm-up run gives every connection its cursors (the full first sync);
 * then the 15-minute and 30-minute runs are measured, and a sequential run (concurrency 1) on a small
 * slice gives the speed-up over the seed's one-after-another loop.
 *
 * <p>{@code mvn -Pbenchmark verify -Dbench.users=2500 [-Dbench.latencyMs=100 -Dbench.concurrency=64
 * -Dbench.perProvider=N -Dbench.start=synced -Dbench.runs=15min,30min -Dbench.loadClients=16
 * -Dbench.monitoringClients=8 -Dbench.pageClients=8 -Dbench.loadWarmUpSeconds=20 -Dbench.monitoringRate=500 -Dbench.pageRate=25 -Dbench.jfr=true -Dbench.jvmArgs="..."
 * -Dbench.postgres=own -Dbench.postgresSettings=name=value,...]}
 * Results: a table on stdout and {@code target/benchmark-<users>.json}.
 */
public final class SyncBenchmark {

  /**
   * The benchmark's own cluster's settings (bench.postgres=own), as an operator would set them for
   * 1,000,000 connections on this machine (24 GiB): shared buffers that hold what a run touches,
   * checkpoints far enough apart that a page is not written in full to the WAL again after every
   * few minutes, and room for the pool. Durability as on any server: fsync and synchronous commit on.
   */
  static final String OWN_POSTGRES_SETTINGS =
      "shared_buffers=4GB,max_wal_size=8GB,checkpoint_timeout=15min,checkpoint_completion_target=0.9,max_connections=300";

  public static void main(String[] args) throws Exception {
    int users = Integer.getInteger("bench.users", 2500);
    int latencyMs = Integer.getInteger("bench.latencyMs", 100);
    int concurrency = Integer.getInteger("bench.concurrency", 64);
    // The service's SYNC_CONCURRENCY_PER_PROVIDER (default ¾ of the concurrency), which bounds a one-provider run.
    Integer perProvider = Integer.getInteger("bench.perProvider");
    int sequentialUsers = Integer.getInteger("bench.sequentialUsers", Math.min(users, 50));
    int loadClients = Integer.getInteger("bench.loadClients", 16);
    // The load's rates (req/s, shared by half the clients each; 0: closed loop, as fast as answered):
    // the monitoring JSON at the benchmark issue's 500 req/s, and the integrations page (the
    // heaviest page, 20-40 monitoring requests' worth of CPU each) as a crowd of operators would.
    double monitoringRate = Double.parseDouble(System.getProperty("bench.monitoringRate", "500"));
    double pageRate = Double.parseDouble(System.getProperty("bench.pageRate", "25"));
    // Or each target's clients apart (0 leaves that target out).
    int monitoringClients = Integer.getInteger("bench.monitoringClients", loadClients / 2);
    int pageClients = Integer.getInteger("bench.pageClients", loadClients - loadClients / 2);
    int loadWarmUpSeconds = Integer.getInteger("bench.loadWarmUpSeconds", 20);
    // bench.start=synced: every connection starts with the cursors of a finished first sync,
    // bulk-loaded, instead of a warm-up run (which at N = 250,000 would take hours and write a
    // quarter of a billion records before anything is measured).
    boolean synced = "synced".equals(System.getProperty("bench.start", "warm-up"));
    List<String> intervals = List.of(System.getProperty("bench.runs", "15min,30min").split(","));
    // bench.postgres=own: a PostgreSQL cluster of the benchmark's own (Debian's binaries, 127.0.0.1, a
    // free port), with an operator's settings for this machine (bench.postgresSettings) instead of
    // the shared server's defaults: at 1,000,000 connections the tables and indexes a run touches
    // are larger than the default 128 MB of shared buffers, and reading pages into them becomes a
    // quarter of PostgreSQL's CPU.
    boolean ownPostgres = "own".equals(System.getProperty("bench.postgres", "machine"));
    List<String> postgresSettings =
        List.of(System.getProperty("bench.postgresSettings", OWN_POSTGRES_SETTINGS).trim().split("\\s*,\\s*"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    result.put("users", users);
    result.put("connections", users * 4);
    result.put("latencyMs", latencyMs);
    result.put("concurrency", concurrency);
    result.put("monitoringClients", monitoringClients);
    result.put("pageClients", pageClients);
    result.put("loadWarmUpSeconds", loadWarmUpSeconds);
    result.put("monitoringRate", monitoringRate);
    result.put("pageRate", pageRate);
    result.put("start", synced ? "synced (cursors bulk-loaded)" : "warm-up run");

    result.put("postgres", ownPostgres ? "own cluster: " + String.join(", ", postgresSettings) : "the machine's server");
    try (TestDatabase db = ownPostgres ? TestDatabase.createThrowaway(postgresSettings) : TestDatabase.create();
        ProviderSimulator sim = ProviderSimulator.start(0)) {
      DataSource ds = Databases.migratedPostgresql(db);
      byte[] raw = new byte[32];
      new SecureRandom().nextBytes(raw);
      String key = Base64.getEncoder().encodeToString(raw);
      long t0 = System.nanoTime();
      load(ds, users, TokenVault.withKey(key));
      if (synced) {
        loadCursors(ds, users);
      }
      result.put("loadSeconds", (System.nanoTime() - t0) / 1e9);
      sim.setGenerated(new GeneratedData(3, 5, 2, 100));
      sim.faults("github").latency(java.time.Duration.ofMillis(latencyMs));
      sim.faults("notion").latency(java.time.Duration.ofMillis(latencyMs));
      sim.faults("slack").latency(java.time.Duration.ofMillis(latencyMs));
      sim.faults("google_calendar").latency(java.time.Duration.ofMillis(latencyMs));

      Map<String, String> props = new LinkedHashMap<>(sim.configProperties());
      props.put("database.url", db.databaseUrl());
      props.put("token.encryption.key", key);
      props.put("cron.secret", "benchmark-secret");
      props.put("admin.password", "benchmark-password");
      props.put("tributary.demo", "false");
      props.put("sync.schedule.15min", "off");
      props.put("sync.schedule.30min", "off");
      props.put("sync.concurrency", Integer.toString(concurrency));
      if (perProvider != null) {
        props.put("sync.concurrency.per.provider", Integer.toString(perProvider));
      }
      props.put("google.rate.limit.per.second", "0");
      List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=19", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2", "-XX:MaxNewSize=64m", "-XX:TargetSurvivorRatio=90"));
      if (Boolean.getBoolean("bench.jfr")) {
        // Profile the app itself (bench.jfr=true): target/benchmark.jfr, read with `jfr print`.
        jvm.add("-XX:StartFlightRecording=filename=" + Path.of("target", "benchmark.jfr").toAbsolutePath() + ",settings=profile");
      }
      // bench.jvmArgs: more flags for the app (space-separated), to compare a setting before adopting it.
      for (String arg : System.getProperty("bench.jvmArgs", "").trim().split("\\s+")) {
        if (!arg.isEmpty()) {
          jvm.add(arg);
        }
      }
      result.put("jvm", String.join(" ", jvm));
      try (PayaraProcess app = PayaraProcess.startWith("bench", props, jvm.toArray(String[]::new))) {
        Api cron = app.api().withAuthorization("Bearer benchmark-secret").withTimeout(java.time.Duration.ofHours(2));
        ProcessStats stats = new ProcessStats(app.pid());
        stats.start();
        if (!synced) {
          System.out.println("Warm-up: the first (full) sync of every connection...");
          JsonObject warm = run(cron, "");
          result.put("warmUp", summary(warm, sim, 0, stats, latencyMs, concurrency));
        } else {
          // The JIT still has to compile the sync path: one unmeasured run over a slice first.
          int slice = Math.min(users, 2500);
          System.out.println("Warm-up: one run over the first " + slice + " users (not measured)...");
          sql(ds, "UPDATE connections SET status = 'disabled' WHERE user_id > " + slice);
          run(cron, "");
          sql(ds, "UPDATE connections SET status = 'active' WHERE user_id > " + slice);
        }
        java.time.Instant measuredFrom = java.time.Instant.now();
        List<String> runs = new ArrayList<>(intervals);
        if (monitoringClients + pageClients > 0 && intervals.contains("30min")) {
          runs.add("30minUnderLoad"); // measured apart, so the runs above show the engine's own CPU
        }
        for (String name : runs) {
          String interval = name.startsWith("30min") ? "30min" : name;
          // While a run goes, operators watch: the monitoring JSON and the integrations page, each
          // from its clients at its rate (their CPU is in this run's app CPU).
          LoadGenerator load = null;
          if (name.endsWith("UnderLoad")) {
            List<LoadGenerator.Target> targets = new ArrayList<>();
            if (monitoringClients > 0) {
              targets.add(new LoadGenerator.Target("GET /api/cron/monitoring", "/api/cron/monitoring", "Bearer benchmark-secret",
                  monitoringClients, monitoringRate));
            }
            if (pageClients > 0) {
              targets.add(new LoadGenerator.Target("GET /dashboard/integrations", "/dashboard/integrations",
                  Api.basic("admin", "benchmark-password"), pageClients, pageRate));
            }
            // The load starts before the run, unrecorded, so the request paths are compiled as on
            // a server that has been up a while; the measurement (below) starts with the run.
            load = LoadGenerator.start(app.api().base(), targets, java.time.Duration.ofSeconds(loadWarmUpSeconds));
            Thread.sleep(loadWarmUpSeconds * 1000L);
            // The wall-clock second 0 of the load's per-second series, to match with a GC log
            // (-Dbench.jvmArgs=-Xlog:gc:file=...:time) or the app's log.
            result.put("loadMeasuredFrom", java.time.Instant.now().toString());
          }
          long calls0 = totalCalls(sim);
          double cpu0 = stats.cpuSeconds();
          MachineCpu machine0 = MachineCpu.now();
          PostgresWork pg0 = PostgresWork.now(ds);
          // Under load no full collection is forced during the run: its stop-the-world pause (about
          // 100 ms) would be the harness's own stall in the latencies it measures. The live heap
          // is taken once, when the load has stopped.
          stats.resetPeaks(load == null);
          JsonObject r = run(cron, "?interval=" + interval);
          if (load != null) {
            result.put("loadDuringRun30min", load.stop());
            stats.measureLive();
          }
          JsonObjectBuilder s = summary(r, sim, calls0, stats, latencyMs, concurrency);
          s.add("appCpuSeconds", stats.cpuSeconds() - cpu0);
          s.add("cpuMsPerConnectionSync", (stats.cpuSeconds() - cpu0) * 1000.0 / Math.max(1, r.getInt("providersSync")));
          MachineCpu used = MachineCpu.now().minus(machine0);
          s.add("simulatorCpuSeconds", used.harness()).add("postgresCpuSeconds", used.postgres()).add("machineBusyCpuSeconds", used.busy());
          Thread.sleep(1500); // the backends' last statistics are flushed within a second
          s.add("postgres", PostgresWork.now(ds).minus(pg0).toJson());
          result.put("run" + name, s);
        }
        java.time.Instant measuredTo = java.time.Instant.now();
        result.put("records", count(ds, "SELECT COUNT(*) FROM synced_records"));
        stats.close();
        app.close(); // flushes the recording
        if (Boolean.getBoolean("bench.jfr")) {
          jfrWindow = new java.time.Instant[] {measuredFrom, measuredTo};
        }
      }
      // The seed's loop: one connection after another, on a slice of the same data.
      props.put("sync.concurrency", "1");
      sql(ds, "UPDATE connections SET status = 'disabled' WHERE user_id > " + sequentialUsers);
      try (PayaraProcess app = PayaraProcess.startWith("bench-seq", props, "-Xmx512m")) {
        Api cron = app.api().withAuthorization("Bearer benchmark-secret");
        long calls0 = totalCalls(sim);
        JsonObject seq = run(cron, "?interval=30min");
        result.put("sequential30min", summary(seq, sim, calls0, null, latencyMs, 1));
      }
    }
    print(result);
    if (jfrWindow != null) {
      JfrSummary.print(Path.of("target", "benchmark.jfr"), jfrWindow[0], jfrWindow[1]);
    }
  }

  private static java.time.Instant[] jfrWindow;

  static JsonObject run(Api cron, String query) {
    long t = System.nanoTime();
    Api.Reply r = cron.post("/api/cron/sync-integrations" + query, null);
    if (r.status() != 200) {
      throw new IllegalStateException("run failed: " + r);
    }
    JsonObject o = r.json();
    // The trigger answers "still running" after its wait; a million-connection run goes on longer.
    while ("running".equals(o.getString("status"))) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Api.Reply e = cron.get("/api/cron/executions/" + o.getJsonNumber("executionId").longValue());
      JsonObject x = e.json();
      if (!"running".equals(x.getString("status"))) {
        o = Json.createObjectBuilder(o)
            .add("message", "Sync completed")
            .add("status", x.getString("status"))
            .add("usersProcessed", x.getInt("usersProcessed"))
            .add("providersSync", x.getInt("providersSync"))
            .add("successCount", x.getInt("successCount"))
            .add("failureCount", x.getInt("failureCount"))
            .add("durationMs", x.getJsonNumber("durationMs").longValue())
            .build();
      }
    }
    System.out.printf(Locale.ROOT, "  %s → %s in %.1f s%n", query.isEmpty() ? "all" : query, o, (System.nanoTime() - t) / 1e9);
    return o;
  }

  static JsonObjectBuilder summary(JsonObject r, ProviderSimulator sim, long calls0, ProcessStats stats, int latencyMs, int concurrency) {
    long calls = totalCalls(sim) - calls0;
    double wall = r.getJsonNumber("durationMs").longValue() / 1000.0;
    int syncs = r.getInt("providersSync");
    double ideal = calls * (latencyMs / 1000.0) / concurrency;
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("status", r.getString("status"))
            .add("connectionSyncs", syncs)
            .add("failures", r.getInt("failureCount"))
            .add("providerCalls", calls)
            .add("wallSeconds", wall)
            .add("syncsPerSecond", syncs / Math.max(0.001, wall))
            .add("callsPerSecond", calls / Math.max(0.001, wall))
            .add("idealSeconds", ideal)
            .add("vsIdeal", wall / Math.max(0.001, ideal));
    if (stats != null) {
      b.add("heapPeakMb", stats.heapPeakBytes() / 1048576.0).add("liveHeapPeakMb", stats.livePeakBytes() / 1048576.0)
          .add("rssPeakMb", stats.rssPeakBytes() / 1048576.0);
    }
    return b;
  }

  static long totalCalls(ProviderSimulator sim) {
    return sim.requestCount("github") + sim.requestCount("notion") + sim.requestCount("slack") + sim.requestCount("google_calendar");
  }

  /** Users and connections by COPY, tokens encrypted as the service would (bound to the row id). */
  static void load(DataSource ds, int users, TokenVault vault) throws Exception {
    String[] providers = {"github", "notion", "slack", "google_calendar"};
    try (Connection c = ds.getConnection()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder u = new StringBuilder();
      for (int i = 1; i <= users; i++) {
        u.append(i).append('\t').append("bench-").append(i).append('\n');
      }
      copy.copyIn("COPY app_users (id, external_id) FROM STDIN", new StringReader(u.toString()));
      long id = 0;
      StringBuilder batch = new StringBuilder();
      for (int i = 1; i <= users; i++) {
        for (String p : providers) {
          id++;
          String token = "gen-" + p + "-acct" + i;
          batch.append(id).append('\t').append(i).append('\t').append(p).append("\tactive\t")
              .append(vault.encrypt(token, id)).append('\t').append(vault.encrypt("genr-" + p + "-acct" + i, id)).append('\n');
        }
        if (i % 20000 == 0 || i == users) {
          copy.copyIn(
              "COPY connections (id, user_id, provider, status, access_token_enc, refresh_token_enc) FROM STDIN",
              new StringReader(batch.toString()));
          batch.setLength(0);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("SELECT setval(pg_get_serial_sequence('app_users', 'id'), (SELECT MAX(id) FROM app_users))");
        s.execute("SELECT setval(pg_get_serial_sequence('connections', 'id'), (SELECT MAX(id) FROM connections))");
        s.execute("ANALYZE");
      }
    }
  }

  /**
   * The cursors each client keeps after its first sync, as the simulator's generated mode accepts
   * them for incremental requests (GitHub/Notion: a date after the generated history; Slack: the
   * history position of the account's one channel; Google: a sync token), by COPY.
   */
  static void loadCursors(DataSource ds, int users) throws Exception {
    String since = "2025-01-01T00:00:00Z";
    String slackTs = "1735689600.000000"; // the same instant
    String calendarToken = ProviderSimulator.generatedCalendarSyncToken(1);
    try (Connection c = ds.getConnection()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder batch = new StringBuilder();
      long id = 0;
      for (int i = 1; i <= users; i++) {
        String account = "acct" + i;
        long github = ++id, notion = ++id, slack = ++id, calendar = ++id; // the order load() uses
        cursor(batch, github, "repos.since", since);
        cursor(batch, github, "issues.since", since);
        cursor(batch, notion, "search.last_edited_time", since);
        cursor(batch, slack, "history." + ProviderSimulator.generatedSlackChannel(account), slackTs);
        cursor(batch, calendar, "events.syncToken", calendarToken);
        if (i % 20000 == 0 || i == users) {
          copy.copyIn("COPY sync_cursors (connection_id, name, cursor_value, updated_at) FROM STDIN", new StringReader(batch.toString()));
          batch.setLength(0);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE sync_cursors");
      }
    }
  }

  private static void cursor(StringBuilder b, long connectionId, String name, String value) {
    b.append(connectionId).append('\t').append(name).append('\t').append(value).append("\t2025-01-01 00:00:00+00\n");
  }

  static void sql(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void print(Map<String, Object> result) throws Exception {
    JsonObjectBuilder all = Json.createObjectBuilder();
    result.forEach((k, v) -> {
      if (v instanceof JsonObjectBuilder b) {
        all.add(k, b);
      } else if (v instanceof Number n) {
        all.add(k, n.doubleValue());
      } else {
        all.add(k, String.valueOf(v));
      }
    });
    JsonObject json = all.build();
    Path out = Path.of("target", "benchmark-" + result.get("users") + ".json");
    Files.writeString(out, json.toString());
    System.out.println();
    System.out.printf(Locale.ROOT, "%-18s %8s %9s %9s %8s %9s %8s %8s %8s %8s %9s %8s%n",
        "run", "syncs", "calls", "wall s", "syncs/s", "calls/s", "vsIdeal", "heapMB", "liveMB", "rssMB", "cpu s", "cpu ms/s");
    for (String k : List.of("warmUp", "run15min", "run30min", "run30minUnderLoad", "sequential30min")) {
      if (!json.containsKey(k)) {
        continue;
      }
      JsonObject r = json.getJsonObject(k);
      System.out.printf(Locale.ROOT, "%-18s %8d %9d %9.1f %8.1f %9.1f %8.2f %8.0f %8.0f %8.0f %9.1f %8.3f%n", k,
          r.getInt("connectionSyncs"), r.getJsonNumber("providerCalls").longValue(), r.getJsonNumber("wallSeconds").doubleValue(),
          r.getJsonNumber("syncsPerSecond").doubleValue(), r.getJsonNumber("callsPerSecond").doubleValue(),
          r.getJsonNumber("vsIdeal").doubleValue(), num(r, "heapPeakMb"), num(r, "liveHeapPeakMb"), num(r, "rssPeakMb"), num(r, "appCpuSeconds"),
          num(r, "cpuMsPerConnectionSync"));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-18s %13s %13s %13s %13s %13s%n",
        "CPU ms per sync", "app", "simulator", "postgres", "other", "machine busy");
    for (String k : List.of("run15min", "run30min", "run30minUnderLoad")) {
      if (json.containsKey(k) && json.getJsonObject(k).containsKey("machineBusyCpuSeconds")) {
        JsonObject r = json.getJsonObject(k);
        double syncs = Math.max(1, r.getInt("connectionSyncs")) / 1000.0;
        double app = num(r, "appCpuSeconds"), sim = num(r, "simulatorCpuSeconds"), pg = num(r, "postgresCpuSeconds"), busy = num(r, "machineBusyCpuSeconds");
        System.out.printf(Locale.ROOT, "%-18s %13.2f %13.2f %13.2f %13.2f %13.2f%n",
            k, app / syncs, sim / syncs, pg / syncs, (busy - app - sim - pg) / syncs, busy / syncs);
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-18s %9s %9s %9s %7s %9s %9s %9s %7s%n",
        "PostgreSQL per sync", "commits", "rows ins", "rows upd", "HOT %", "WAL recs", "WAL kB", "full pgs", "vacuums");
    for (String k : List.of("run15min", "run30min", "run30minUnderLoad")) {
      if (json.containsKey(k) && json.getJsonObject(k).containsKey("postgres")) {
        JsonObject p = json.getJsonObject(k).getJsonObject("postgres");
        double syncs = Math.max(1, json.getJsonObject(k).getInt("connectionSyncs"));
        double upd = num(p, "rowsUpdated");
        System.out.printf(Locale.ROOT, "%-18s %9.2f %9.2f %9.2f %7.1f %9.1f %9.2f %9.3f %7.0f%n", k, num(p, "commits") / syncs,
            num(p, "rowsInserted") / syncs, upd / syncs, upd == 0 ? 0 : 100 * num(p, "hotUpdates") / upd,
            num(p, "walRecords") / syncs, num(p, "walBytes") / syncs / 1024, num(p, "walFullPageImages") / syncs, num(p, "autovacuums"));
      }
    }
    if (json.containsKey("loadDuringRun30min")) {
      System.out.println();
      System.out.printf(Locale.ROOT, "%-30s %7s %9s %8s %8s %8s %8s %8s %8s%n", "load during run30minUnderLoad", "load",
          "requests", "asked/s", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "errors");
      JsonObject load = json.getJsonObject("loadDuringRun30min");
      for (String k : load.keySet()) {
        JsonObject t = load.getJsonObject(k);
        System.out.printf(Locale.ROOT, "%-30s %7s %9d %8.0f %8.1f %8.1f %8.1f %8.1f %8d%n", k, t.getString("load"),
            t.getJsonNumber("requests").longValue(), t.getJsonNumber("rateAskedPerSecond").doubleValue(),
            t.getJsonNumber("requestsPerSecond").doubleValue(), t.getJsonNumber("p50Ms").doubleValue(),
            t.getJsonNumber("p99Ms").doubleValue(), t.getJsonNumber("p999Ms").doubleValue(), t.getJsonNumber("errors").longValue());
      }
      System.out.println("seconds with requests over " + LoadGenerator.SLOW_MICROS / 1000 + " ms, and the worst of them"
          + " (second from " + result.get("loadMeasuredFrom") + ": slowest ms / requests over):");
      for (String k : load.keySet()) {
        JsonObject t = load.getJsonObject(k);
        StringBuilder worst = new StringBuilder();
        for (JsonObject w : t.getJsonArray("worstSeconds").getValuesAs(JsonObject.class)) {
          worst.append(String.format(Locale.ROOT, "  %d: %.0f/%d", w.getInt("second"), w.getJsonNumber("slowestMs").doubleValue(),
              w.getInt("slowRequests")));
        }
        System.out.printf(Locale.ROOT, "%-30s %4d s%s%n", k, t.getInt("secondsWithSlowRequests"), worst);
      }
    }
    if (json.containsKey("run30min") && json.containsKey("sequential30min")) {
      double fast = json.getJsonObject("run30min").getJsonNumber("syncsPerSecond").doubleValue();
      double slow = json.getJsonObject("sequential30min").getJsonNumber("syncsPerSecond").doubleValue();
      System.out.printf(Locale.ROOT, "speed-up vs sequential (syncs/s): %.1fx%n", fast / slow);
    }
    System.out.println("JSON: " + out.toAbsolutePath());
  }

  static double num(JsonObject o, String k) {
    return o.containsKey(k) ? o.getJsonNumber(k).doubleValue() : Double.NaN;
  }

  /**
   * Where the machine's CPU goes during a run (seconds): this JVM (the provider simulator and the
   * harness), PostgreSQL (every {@code postgres} process, plus the exited ones the postmaster reaped),
   * and the whole machine's busy time from {@code /proc/stat}. The app's own is {@link ProcessStats}.
   */
  record MachineCpu(double harness, double postgres, double busy) {
    static MachineCpu now() throws Exception {
      double harness = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime() / 1e9;
      double pg = 0;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
          try {
            String stat = Files.readString(proc.resolve("stat"));
            if (stat.contains("(postgres)")) {
              String[] f = stat.split("\\) ", 2)[1].split(" ");
              pg += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
            }
          } catch (java.io.IOException | RuntimeException e) {
            // the process ended meanwhile
          }
        }
      }
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
      long total = 0;
      for (int i = 1; i <= 8 && i < cpu.length; i++) {
        total += Long.parseLong(cpu[i]);
      }
      return new MachineCpu(harness, pg, (total - idle) / 100.0);
    }

    MachineCpu minus(MachineCpu o) {
      return new MachineCpu(harness - o.harness, postgres - o.postgres, busy - o.busy);
    }
  }

  /**
   * CPU, heap and RSS of the app process, sampled every 500 ms, and its live heap. Heap figures come
   * over JMX from the JDK's attach API (the app's local management agent, loopback only): cheap to
   * read, so the sampling costs the machine nothing measurable (spawning {@code jstat} twice a second
   * had cost a third of a core). The live heap is what a full collection leaves: one is forced
   * {@link #LIVE_FIRST} into each run and every {@link #LIVE_EVERY} after (a pause of about 100
   * milliseconds each, inside the measured wall time), except in a run under load, where it is
   * forced once, after the load (a forced pause would be a stall in the latencies measured).
   */
  static final class ProcessStats extends Thread implements AutoCloseable {
    static final long LIVE_FIRST = 1_000, LIVE_EVERY = 30_000;
    private final long pid;
    private final AtomicLong heapPeak = new AtomicLong();
    private final AtomicLong livePeak = new AtomicLong();
    private final AtomicLong rssPeak = new AtomicLong();
    private final javax.management.remote.JMXConnector jmx;
    private final java.lang.management.MemoryMXBean memory;
    private volatile long runStarted = System.currentTimeMillis();
    private volatile boolean running = true;
    private volatile boolean forceLive = true;

    ProcessStats(long pid) throws Exception {
      this.pid = pid;
      setDaemon(true);
      com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      jmx = javax.management.remote.JMXConnectorFactory.connect(new javax.management.remote.JMXServiceURL(address));
      memory = java.lang.management.ManagementFactory.newPlatformMXBeanProxy(
          jmx.getMBeanServerConnection(), java.lang.management.ManagementFactory.MEMORY_MXBEAN_NAME,
          java.lang.management.MemoryMXBean.class);
    }

    @Override
    public void run() {
      long nextLive = runStarted + LIVE_FIRST;
      long seenStart = runStarted;
      while (running) {
        try {
          if (runStarted != seenStart) {
            seenStart = runStarted;
            nextLive = seenStart + LIVE_FIRST;
          }
          rssPeak.accumulateAndGet(rss(), Math::max);
          heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          if (forceLive && System.currentTimeMillis() >= nextLive) {
            measureLive(); // a full collection: what is left is live
            nextLive = System.currentTimeMillis() + LIVE_EVERY;
          }
          Thread.sleep(500);
        } catch (Exception e) {
          // the process may be between states; keep sampling
        }
      }
    }

    /**
     * A measured run starts: peaks from zero, and with {@code forceLive} the first live sample
     * {@link #LIVE_FIRST} from now (without, none until {@link #measureLive}).
     */
    void resetPeaks(boolean forceLive) {
      heapPeak.set(0);
      livePeak.set(0);
      rssPeak.set(0);
      this.forceLive = forceLive;
      runStarted = System.currentTimeMillis();
    }

    /** Forces a full collection now and counts what it leaves in the live peak. */
    void measureLive() {
      memory.gc();
      livePeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long heapPeakBytes() {
      return heapPeak.get();
    }

    /** The most heap a forced full collection during the run left in use: what the app retains. */
    long livePeakBytes() {
      return livePeak.get();
    }

    long rssPeakBytes() {
      return rssPeak.get();
    }

    void stopSampling() {
      running = false;
    }

    @Override
    public void close() {
      stopSampling();
      try {
        jmx.close();
      } catch (java.io.IOException ignored) {
        // the app is stopping
      }
    }

    long rss() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return 0;
    }

    double cpuSeconds() throws Exception {
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ", 2)[1].split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks
    }
  }
}
