package io.tributary.providers;

/** What storing a batch changed: rows inserted, rows whose content changed, rows removed. */
public record StoreResult(int added, int updated, int removed) {
  public static final StoreResult NONE = new StoreResult(0, 0, 0);

  public StoreResult plus(StoreResult o) {
    return new StoreResult(added + o.added, updated + o.updated, removed + o.removed);
  }
}
