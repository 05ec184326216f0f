package io.tributary.providers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one page of a sync changes, stored atomically: records to upsert, records to remove, and the
 * cursors to advance. A cursor only moves together with the records it covers, so a crash repeats
 * work and never skips it (PROVIDERS.md, common rules).
 */
public final class RecordBatch {
  private final List<SyncedRecord> upserts = new ArrayList<>();
  private final List<RecordKey> removals = new ArrayList<>();
  private final Map<String, String> cursors = new LinkedHashMap<>();
  private final List<String> clearedCursors = new ArrayList<>();
  private Sweep sweep;

  /** A record identity within one connection. */
  public record RecordKey(String kind, String externalId) {}

  /** After a full re-sync: remove every stored record of {@code kind} whose id was not seen. */
  public record Sweep(String kind, Set<String> seenExternalIds) {}

  public RecordBatch upsert(SyncedRecord r) {
    upserts.add(r);
    return this;
  }

  public RecordBatch upsertAll(List<SyncedRecord> rs) {
    upserts.addAll(rs);
    return this;
  }

  public RecordBatch remove(String kind, String externalId) {
    removals.add(new RecordKey(kind, externalId));
    return this;
  }

  public RecordBatch cursor(String name, String value) {
    cursors.put(name, value);
    return this;
  }

  public RecordBatch clearCursor(String name) {
    clearedCursors.add(name);
    return this;
  }

  public RecordBatch sweep(String kind, Set<String> seenExternalIds) {
    this.sweep = new Sweep(kind, Set.copyOf(seenExternalIds));
    return this;
  }

  public List<SyncedRecord> upserts() {
    return upserts;
  }

  public List<RecordKey> removals() {
    return removals;
  }

  public Map<String, String> cursors() {
    return cursors;
  }

  public List<String> clearedCursors() {
    return clearedCursors;
  }

  public Sweep sweep() {
    return sweep;
  }

  public boolean isEmpty() {
    return upserts.isEmpty()
        && removals.isEmpty()
        && cursors.isEmpty()
        && clearedCursors.isEmpty()
        && sweep == null;
  }
}
