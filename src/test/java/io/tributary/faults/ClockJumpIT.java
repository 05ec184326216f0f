package io.tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.RecordedRequest;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.ShiftedClockProducer;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The host's clock jumps under a running server, across slot boundaries, on the real schedule
 * ({@code *}{@code /15 * * * *}): forward by three hours in the middle of a run, then back by almost
 * three hours, then forward to the next slot. Every slot runs at most once, slots only move
 * forward, the hours skipped are recorded as missed slots of one catch-up run, no connection is
 * synced twice in a run (its lease is in the database's time, which did not jump), and every
 * record equals the simulator's.
 *
 * <p>The server is the real WAR plus one test class, {@link ShiftedClockProducer}, that shifts the
 * application's injected clock by an offset this test writes to a file.
 */
class ClockJumpIT {

  static final int CONNECTIONS = 8;
  static final Duration SLOT = Duration.ofMinutes(15);
  /** An arbitrary day years ahead: nothing in the database can be mistaken for this test's slots. */
  static final Instant S0 = Instant.parse("2031-06-01T10:00:00Z");

  @Test
  void slotsRunOnceAndMoveOnlyForwardWhenTheClockJumps() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    Path clockFile = Path.of("target", "clock-jump-offset").toAbsolutePath();
    File war = Path.of("target", "tributary-shifted-clock.war").toFile();
    ShrinkWrap.create(ZipImporter.class, "tributary.war")
        .importFrom(new File(System.getProperty("tributary.war", "target/tributary.war")))
        .as(WebArchive.class)
        .addClasses(ShiftedClockProducer.classes())
        .as(ZipExporter.class)
        .exportTo(war, true);

    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> props = new HashMap<>(TestEnvironment.serverProperties());
      props.put("database.url", db.databaseUrl());
      props.put("sync.schedule.15min", "*/15 * * * *");
      props.put("sync.schedule.30min", "off");
      props.put("sync.concurrency", "2");
      props.put("sync.lease.timeout.seconds", "20");
      props.put("tributary.test.clock.file", clockFile.toString());
      // Booting takes well under 14 minutes, so the first slot it sees is S0.
      ShiftedClockProducer.set(clockFile, S0.plusSeconds(60));
      try (PayaraProcess app = PayaraProcess.startWar(war, "clock-jump", props, Map.of(), "-Xmx512m")) {
        Runs runs = new Runs(db);
        // The first tick runs slot S0 (nothing registered yet: an empty run).
        runs.awaitFinished(S0, Duration.ofMinutes(2));

        Api admin = app.api().asAdmin();
        Map<String, String> accountByToken = new HashMap<>();
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          Account a = sim.account("github", "clock-" + i + "-" + System.nanoTime());
          a.seed(5);
          Tokens t = a.issueTokens(null, false);
          accountByToken.put("Bearer " + t.accessToken(), a.id());
          accounts.add(a);
          Api.Reply r = admin.post("/api/connections",
              "{\"userId\":\"clock-" + i + "\",\"provider\":\"github\",\"accessToken\":\"" + t.accessToken() + "\"}");
          assertEquals(201, r.status(), r.toString());
        }
        sim.clearRequests();
        sim.faults("github").latency(Duration.ofMillis(800)); // a run of about 6 s, to jump in the middle of

        // 1. On time: slot S0+15 starts on its boundary. While it runs, the clock jumps 3 hours ahead.
        Instant s1 = S0.plus(SLOT);
        ShiftedClockProducer.set(clockFile, s1.minusSeconds(2));
        runs.awaitStarted(s1, Duration.ofMinutes(1));
        ShiftedClockProducer.set(clockFile, s1.plus(Duration.ofHours(3)));
        Instant s2 = s1.plus(Duration.ofHours(3)); // the latest slot after the jump
        runs.awaitFinished(s1, Duration.ofMinutes(2));
        for (Account a : accounts) {
          a.put("repository", "42" + a.id().hashCode(), "new while the clock was away");
        }
        runs.awaitFinished(s2, Duration.ofMinutes(2));

        // 2. Back by almost three hours, behind the slot that just ran: nothing may start.
        ShiftedClockProducer.set(clockFile, S0.plus(Duration.ofMinutes(31)));
        awaitLog(app, "is behind the latest scheduled slot " + s2, Duration.ofMinutes(1));
        assertEquals(List.of(S0, s1, s2), runs.slots(), "no earlier slot started, none ran again");

        // 3. Forward to the slot after s2: it runs on time, nothing missed.
        Instant s3 = s2.plus(SLOT);
        ShiftedClockProducer.set(clockFile, s3.minusSeconds(2));
        runs.awaitFinished(s3, Duration.ofMinutes(2));
        sim.faults("github").clear();

        Map<Instant, String> rows = runs.rows();
        System.out.println("Clock jumps: runs by slot " + rows);
        assertEquals(List.of(S0, s1, s2, s3), runs.slots(), "one run per slot, in order");
        assertTrue(rows.get(s1).startsWith("schedule success 8/0 missed=0"), rows.get(s1));
        long skipped = Duration.between(s1, s2).dividedBy(SLOT) - 1;
        assertEquals(11, skipped);
        assertTrue(rows.get(s2).startsWith("catch_up success 8/0 missed=" + skipped), rows.get(s2));
        assertTrue(rows.get(s3).startsWith("schedule success 8/0 missed=0"), rows.get(s3));

        // No connection synced twice in a run: two calls (repositories, issues) per account per run.
        Map<String, Integer> calls = new TreeMap<>();
        for (RecordedRequest r : sim.requests()) {
          List<String> auth = r.headers().get("authorization");
          if ("github".equals(r.provider()) && auth != null && accountByToken.containsKey(auth.get(0))) {
            calls.merge(accountByToken.get(auth.get(0)), 1, Integer::sum);
          }
        }
        assertEquals(CONNECTIONS, calls.size());
        calls.forEach((account, n) -> assertEquals(2 * 3, n, account + " was synced once in each of the 3 runs"));

        // Every record equals the simulator's: none lost, none duplicated.
        for (Account a : accounts) {
          long expected = a.items("repository").size() + a.items("issue").size() + a.items("pull_request").size();
          assertEquals(16, expected);
          assertEquals(expected, db.count(
              "SELECT COUNT(*) FROM synced_records r JOIN connections c ON c.id = r.connection_id JOIN app_users u ON u.id = c.user_id"
                  + " WHERE u.external_id = 'clock-" + accounts.indexOf(a) + "'"), a.id());
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM (SELECT 1 FROM synced_records GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d"));
        assertEquals(200, app.api().get("/health/ready").status());
      } finally {
        sim.faults("github").clear();
      }
    }
  }

  static void awaitLog(PayaraProcess app, String text, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!app.log().contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no log line with '" + text + "' within " + max);
      }
      Thread.sleep(250); // observing an external process, not moving test time
    }
  }

  /** The scheduled runs in the test's own database. */
  record Runs(TestDatabase db) {
    Map<Instant, String> rows() throws Exception {
      Map<Instant, String> out = new TreeMap<>();
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT slot_start, trigger_type, status, success_count, failure_count, missed_slots FROM cron_job_executions"
                  + " WHERE job_name = 'sync-integrations-15min' ORDER BY id")) {
        while (rs.next()) {
          Instant slot = rs.getObject(1, OffsetDateTime.class).toInstant();
          String row = rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4) + "/" + rs.getInt(5) + " missed=" + rs.getInt(6);
          if (out.put(slot, row) != null) {
            throw new AssertionError("slot " + slot + " ran twice");
          }
        }
      }
      return out;
    }

    List<Instant> slots() throws Exception {
      List<Instant> out = new ArrayList<>();
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT slot_start FROM cron_job_executions WHERE job_name = 'sync-integrations-15min' ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
        }
      }
      return out;
    }

    void awaitStarted(Instant slot, Duration max) throws Exception {
      await(slot, max, false);
    }

    void awaitFinished(Instant slot, Duration max) throws Exception {
      await(slot, max, true);
    }

    private void await(Instant slot, Duration max, boolean finished) throws Exception {
      long end = System.nanoTime() + max.toNanos();
      while (true) {
        String row = rows().get(slot);
        if (row != null && (!finished || !row.contains(" running "))) {
          return;
        }
        if (System.nanoTime() > end) {
          throw new AssertionError("slot " + slot + " not " + (finished ? "finished" : "started") + " within " + max + "; runs: " + rows());
        }
        Thread.sleep(200); // observing an external process, not moving test time
      }
    }
  }
}
