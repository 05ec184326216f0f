package io.tributary.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load clients' schedule and record, on a clock the test moves. */
class LoadGeneratorTest {
  static final long MS = 1_000_000L;

  long now;

  /** A server whose answers take the given milliseconds, one per request, on the test's clock. */
  LoadGenerator.Sender answersTaking(Deque<Long> millis, boolean ok) {
    return () -> {
      now += millis.removeFirst() * MS;
      return ok;
    };
  }

  /** Sends {@code count} requests from {@code client} to {@code server}; when each went out. */
  List<Long> send(LoadGenerator.Client client, int count, LoadGenerator.Sender server) {
    List<Long> sentAt = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      client.next(() -> now, nanos -> now += nanos, () -> {
        sentAt.add(now / MS);
        return server.send();
      });
    }
    return sentAt;
  }

  @Test
  void anOpenLoadCountsALateRequestFromWhenItWasDue() {
    // 100 req/s: one every 10 ms. The second answer takes 45 ms; the client sends the next ones at
    // once, late, and their latencies carry the wait (coordinated omission corrected).
    LoadGenerator.Client client = new LoadGenerator.Client(0, 10 * MS);
    Deque<Long> answers = new ArrayDeque<>(List.of(2L, 45L, 1L, 1L, 1L, 1L, 1L, 1L));
    List<Long> sentAt = send(client, 8, answersTaking(answers, true));
    // Due at 0, 10, 20, ..., 70 ms. Sent on time, except while the slow answer held the client.
    assertEquals(List.of(0L, 10L, 55L, 56L, 57L, 58L, 60L, 70L), sentAt);
    assertEquals(8, client.requests);
    assertEquals(0, client.errors);
    // Latencies from due time: 2, 45, 36 (due 20, answered 56), 27, 18, 9, 1, 1 ms.
    assertEquals(45, client.latencies.getMaxValue() / 1000, "the slow one");
    assertEquals(4, client.latencies.getCountBetweenValues(5_000, 40_000), "four late ones carry the wait");
    assertEquals(27, client.latencies.getValueAtPercentile(75) / 1000);
  }

  @Test
  void theWarmUpIsSentButNotRecordedAndItsBacklogIsDropped() {
    // Every 10 ms, recorded from 30 ms on. The first answer takes 50 ms (a cold server): the
    // requests due at 10 to 40 ms, the warm-up's backlog, are dropped and the schedule restarts at 50 ms.
    LoadGenerator.Client client = new LoadGenerator.Client(0, 10 * MS, 30 * MS);
    Deque<Long> answers = new ArrayDeque<>(List.of(50L, 1L, 1L, 1L, 1L));
    List<Long> sentAt = send(client, 5, answersTaking(answers, true));
    assertEquals(List.of(0L, 50L, 60L, 70L, 80L), sentAt);
    assertEquals(4, client.requests, "only those sent after the warm-up count");
    assertEquals(1, client.latencies.getMaxValue() / 1000, "no warm-up backlog in them");
  }

  @Test
  void aClosedLoadCountsFromWhenTheRequestWentOut() {
    LoadGenerator.Client client = new LoadGenerator.Client(0, 0);
    Deque<Long> answers = new ArrayDeque<>(List.of(2L, 45L, 1L, 1L));
    LoadGenerator.Sender server = answersTaking(answers, true);
    for (int i = 0; i < 4; i++) {
      client.next(() -> now, nanos -> { throw new AssertionError("a closed load never waits"); }, server);
    }
    assertEquals(49, now / MS, "each request goes out when the last is answered");
    assertEquals(45, client.latencies.getMaxValue() / 1000);
    assertEquals(3, client.latencies.getCountBetweenValues(0, 2_001), "no wait carried over");
  }

  @Test
  void theSummaryAddsUpTheClientsAndCountsErrors() {
    LoadGenerator.Client a = new LoadGenerator.Client(0, 0);
    LoadGenerator.Client b = new LoadGenerator.Client(0, 0);
    Deque<Long> answers = new ArrayDeque<>(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L));
    for (int i = 0; i < 6; i++) {
      a.next(() -> now, n -> {}, answersTaking(answers, true));
    }
    for (int i = 0; i < 4; i++) {
      b.next(() -> now, n -> {}, answersTaking(answers, false));
    }
    JsonObject s =
        LoadGenerator.summary(new LoadGenerator.Target("t", "/", "x", 2, 0), List.of(a, b), 2.0).build();
    assertEquals(10, s.getInt("requests"));
    assertEquals(4, s.getInt("errors"));
    assertEquals(5.0, s.getJsonNumber("requestsPerSecond").doubleValue(), 1e-9);
    assertEquals("closed", s.getString("load"));
    assertEquals(1.0, s.getJsonNumber("p99Ms").doubleValue(), 0.01);
  }

  @Test
  void theSummaryNamesTheSecondsWithSlowRequests() {
    // 100 req/s for 5 s: every answer takes 1 ms, except one of 700 ms at 2.5 s. The requests due
    // while it was held go out late, one a millisecond: the k-th after it waited 700 - 9k ms, over
    // 50 ms up to k = 72 (due at 3.22 s).
    LoadGenerator.Client client = new LoadGenerator.Client(0, 10 * MS);
    LoadGenerator.Sender server =
        () -> {
          now += (now >= 2_500 * MS && now < 2_510 * MS ? 700 : 1) * MS;
          return true;
        };
    send(client, 500, server);
    JsonObject s = LoadGenerator.summary(new LoadGenerator.Target("t", "/", "x", 1, 100), List.of(client), 5.0).build();
    assertEquals(2, s.getInt("secondsWithSlowRequests"), "the stall's requests were due in seconds 2 and 3");
    jakarta.json.JsonArray worst = s.getJsonArray("worstSeconds");
    assertEquals(2, worst.size());
    assertEquals(2, worst.getJsonObject(0).getInt("second"));
    assertEquals(700.0, worst.getJsonObject(0).getJsonNumber("slowestMs").doubleValue(), 1.0);
    assertEquals(50, worst.getJsonObject(0).getInt("slowRequests"), "due 2.50-2.99 s");
    assertEquals(3, worst.getJsonObject(1).getInt("second"));
    assertEquals(23, worst.getJsonObject(1).getInt("slowRequests"), "due 3.00-3.22 s");
  }
}
