package io.tributary.providers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link SyncSession} for client tests: stores records by (kind, id) like the database's
 * unique key, keeps cursors, and refreshes through the client under test like the real session.
 */
public final class FakeSyncSession implements SyncSession {
  private final ProviderClient client;
  private final Clock clock;
  private String accessToken;
  private String refreshToken;
  public final Map<String, SyncedRecord> records = new LinkedHashMap<>();
  public final Map<String, String> cursors = new HashMap<>();
  public final List<RecordBatch> batches = new ArrayList<>();
  public int calls;
  public int refreshes;
  public Instant deadline;

  public FakeSyncSession(ProviderClient client, Clock clock, String accessToken, String refreshToken) {
    this.client = client;
    this.clock = clock;
    this.accessToken = accessToken;
    this.refreshToken = refreshToken;
    this.deadline = clock.instant().plus(Duration.ofMinutes(5));
  }

  @Override
  public long connectionId() {
    return 1;
  }

  @Override
  public String accessToken() {
    return accessToken;
  }

  public String refreshToken() {
    return refreshToken;
  }

  @Override
  public boolean canRefresh() {
    return refreshToken != null;
  }

  @Override
  public void refreshAccessToken(String rejectedToken) {
    refreshes++;
    TokenGrant g = client.refresh(refreshToken);
    accessToken = g.accessToken();
    if (g.refreshToken() != null) {
      refreshToken = g.refreshToken();
    }
  }

  @Override
  public Optional<String> cursor(String name) {
    return Optional.ofNullable(cursors.get(name));
  }

  @Override
  public StoreResult store(RecordBatch batch) {
    batches.add(batch);
    int added = 0, updated = 0, removed = 0;
    for (SyncedRecord r : batch.upserts()) {
      SyncedRecord old = records.put(key(r.kind(), r.externalId()), r);
      if (old == null) {
        added++;
      } else if (!old.equals(r)) {
        updated++;
      }
    }
    for (RecordBatch.RecordKey k : batch.removals()) {
      if (records.remove(key(k.kind(), k.externalId())) != null) {
        removed++;
      }
    }
    if (batch.sweep() != null) {
      String kind = batch.sweep().kind();
      var gone = records.values().stream()
          .filter(r -> r.kind().equals(kind) && !batch.sweep().seenExternalIds().contains(r.externalId()))
          .map(r -> key(r.kind(), r.externalId()))
          .toList();
      gone.forEach(records::remove);
      removed += gone.size();
    }
    cursors.putAll(batch.cursors());
    batch.clearedCursors().forEach(cursors::remove);
    return new StoreResult(added, updated, removed);
  }

  static String key(String kind, String id) {
    return kind + "/" + id;
  }

  public List<SyncedRecord> ofKind(String kind) {
    return records.values().stream().filter(r -> r.kind().equals(kind)).toList();
  }

  @Override
  public void countCall() {
    calls++;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Duration remaining() {
    return Duration.between(clock.instant(), deadline);
  }
}
