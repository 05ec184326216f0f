package io.tributary.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.RecordedRequest;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one PostgreSQL, driven by their own timers (a slot every 10 seconds): every slot
 * runs exactly once, the work of each run is shared by all instances, and after one instance is
 * killed with kill -9 mid-run the others finish its work; no record is duplicated or lost.
 */
class ClusterIT {

  static final int CONNECTIONS = 60;
  static final int SLOTS = 20;
  static final Duration SLOT = Duration.ofSeconds(10);

  @Test
  void everySlotRunsOnceAcrossThreeInstancesAndSurvivesAKill() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    Map<String, String> base = new HashMap<>();
    base.put("sync.schedule.15min", "*/10 * * * * *");
    base.put("sync.schedule.30min", "off");
    base.put("sync.chunk.size", "5");
    base.put("sync.concurrency", "2");
    base.put("sync.lease.timeout.seconds", "8");

    List<PayaraProcess> nodes = new ArrayList<>();
    try {
      Map<String, String> a = new HashMap<>(base);
      a.put("tributary.instance.id", "node-a");
      a.put("sync.schedule.15min", "off"); // registers first; joins the schedule when restarted below
      PayaraProcess first = PayaraProcess.start("cluster-setup", a);
      Api admin = first.api().asAdmin();
      try (Connection c = TestEnvironment.database().connect();
          Statement s = c.createStatement()) {
        s.execute("TRUNCATE synced_records, sync_cursors, execution_chunks, cron_job_executions, connections, app_users CASCADE");
        s.execute("UPDATE sync_job_locks SET execution_id = NULL");
      }
      Map<String, String> tokenToAccount = new HashMap<>();
      List<Account> accounts = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        Account acct = sim.account("github", "cluster-" + i + "-" + System.nanoTime());
        acct.seed(5);
        Tokens t = acct.issueTokens(Duration.ofHours(2), true);
        tokenToAccount.put("Bearer " + t.accessToken(), acct.id());
        accounts.add(acct);
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"cluster-" + i + "\",\"provider\":\"github\",\"accessToken\":\"" + t.accessToken()
                    + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
      }
      first.close();
      sim.faults("github").latency(Duration.ofMillis(100));

      List<CompletableFuture<PayaraProcess>> starting = new ArrayList<>();
      for (String id : List.of("node-a", "node-b", "node-c")) {
        Map<String, String> props = new HashMap<>(base);
        props.put("tributary.instance.id", id);
        starting.add(CompletableFuture.supplyAsync(() -> {
          try {
            return PayaraProcess.start("cluster-" + id, props);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<PayaraProcess> f : starting) {
        nodes.add(f.join());
      }
      Instant allUp = Instant.now();
      sim.clearRequests();

      // Let slots run; kill node-c while it holds work of a running execution, about halfway.
      waitFor(() -> count("SELECT COUNT(*) FROM cron_job_executions WHERE started_at > now() - interval '1 hour' AND status <> 'running'") >= SLOTS / 2, Duration.ofMinutes(4));
      waitFor(() -> count("SELECT COUNT(*) FROM execution_chunks k JOIN cron_job_executions e ON e.id = k.execution_id"
          + " WHERE e.status = 'running' AND k.owner = 'node-c' AND k.status = 'claimed'") > 0, Duration.ofMinutes(2));
      long killedIn = count("SELECT MAX(execution_id) FROM execution_chunks WHERE owner = 'node-c' AND status = 'claimed'");
      nodes.get(2).kill();
      waitFor(() -> count("SELECT COUNT(*) FROM cron_job_executions WHERE status <> 'running'") >= SLOTS + 2, Duration.ofMinutes(5));
      waitFor(() -> count("SELECT COUNT(*) FROM cron_job_executions WHERE status = 'running'") == 0, Duration.ofMinutes(2));

      // 1. Each slot exactly once, and none silently skipped: a slot that came while the previous
      //    run was still going (the no-overlap rule) is counted in the next run's missed_slots.
      List<Instant> slots = new ArrayList<>();
      Map<Instant, String> statusBySlot = new TreeMap<>();
      long accounted = 0;
      try (Connection c = TestEnvironment.database().connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT slot_start, status, missed_slots FROM cron_job_executions WHERE trigger_type IN ('schedule', 'catch_up') ORDER BY slot_start")) {
        while (rs.next()) {
          Instant slot = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
          slots.add(slot);
          statusBySlot.put(slot, rs.getString(2));
          if (slots.size() > 1) {
            accounted += 1 + rs.getInt(3);
          }
        }
      }
      assertEquals(slots.size(), statusBySlot.size(), "one row per slot");
      assertTrue(slots.size() >= SLOTS, "at least " + SLOTS + " slots ran: " + slots.size());
      long expected = Duration.between(slots.get(0), slots.get(slots.size() - 1)).dividedBy(SLOT);
      assertEquals(expected, accounted, "every slot after the first either ran or is recorded as missed");

      // 2. The work was shared: chunks done per instance.
      Map<String, Long> share = new TreeMap<>();
      try (Connection c = TestEnvironment.database().connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT owner, COUNT(*) FROM execution_chunks WHERE status = 'done' GROUP BY owner")) {
        while (rs.next()) {
          share.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.println("Cluster: " + slots.size() + " slots, statuses " + statusBySlot.values() + ", chunks done per instance " + share + ", node-c killed in execution " + killedIn);
      assertTrue(share.getOrDefault("node-a", 0L) > 0 && share.getOrDefault("node-b", 0L) > 0 && share.getOrDefault("node-c", 0L) > 0, "all three shared the work: " + share);
      long failed = statusBySlot.values().stream().filter(st -> !st.equals("success") && !st.equals("interrupted")).count();
      assertEquals(0, failed, "runs succeeded (or were interrupted by the kill): " + statusBySlot);
      assertTrue(statusBySlot.values().stream().filter("interrupted"::equals).count() <= 1, "at most the killed run is interrupted");

      // 3. No connection synced twice in one run: two calls (repos, issues) per account per run,
      //    except in the run where node-c died, which may repeat what it had not recorded.
      Map<Long, Map<String, Integer>> callsPerRun = callsPerExecution(sim.requests(), tokenToAccount);
      for (Map.Entry<Long, Map<String, Integer>> e : callsPerRun.entrySet()) {
        for (Map.Entry<String, Integer> perAccount : e.getValue().entrySet()) {
          if (e.getKey() != killedIn) {
            assertEquals(2, perAccount.getValue(), "execution " + e.getKey() + " synced " + perAccount.getKey() + " once");
          }
        }
      }

      // 4. Nothing duplicated, nothing lost.
      assertEquals(0, count("SELECT COUNT(*) FROM (SELECT 1 FROM synced_records GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d"));
      assertEquals(CONNECTIONS * 15L, count("SELECT COUNT(*) FROM synced_records"));
    } finally {
      sim.faults("github").clear();
      for (PayaraProcess p : nodes) {
        p.close();
      }
    }
  }

  /** Attributes each recorded GitHub call to the execution whose time window contains it. */
  static Map<Long, Map<String, Integer>> callsPerExecution(List<RecordedRequest> requests, Map<String, String> tokenToAccount) throws Exception {
    List<long[]> windows = new ArrayList<>();
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT id, EXTRACT(EPOCH FROM started_at) * 1000, EXTRACT(EPOCH FROM finished_at) * 1000 FROM cron_job_executions WHERE finished_at IS NOT NULL")) {
      while (rs.next()) {
        windows.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
      }
    }
    Map<Long, Map<String, Integer>> out = new TreeMap<>();
    for (RecordedRequest r : requests) {
      if (!"github".equals(r.provider()) || r.headers().get("authorization") == null) {
        continue;
      }
      String account = tokenToAccount.get(r.headers().get("authorization").get(0));
      long at = r.at().toEpochMilli();
      for (long[] w : windows) {
        if (account != null && at >= w[1] && at <= w[2]) {
          out.computeIfAbsent(w[0], k -> new HashMap<>()).merge(account, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check check, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(250); // observing external processes, not moving test time
    }
  }

  static long count(String sql) throws Exception {
    return TestEnvironment.database().count(sql);
  }
}
