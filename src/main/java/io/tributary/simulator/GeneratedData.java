package io.tributary.simulator;

/**
 * The shape of the deterministic data the simulator computes in generated mode (benchmarks), where
 * any token {@code gen-<provider>-<accountId>} is valid and no per-account state is kept.
 *
 * @param changedMax an incremental request returns between 0 and this many changed items
 * @param fullSyncPercent this percentage of incremental requests behaves as a full sync instead
 *     (Google answers them with 410 fullSyncRequired, as Google does)
 * @param fullSyncPages a full sync returns this many pages
 * @param pageSize items per page (1..100, whatever page size the client asked for)
 */
public record GeneratedData(int changedMax, int fullSyncPercent, int fullSyncPages, int pageSize) {

  public GeneratedData {
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("pageSize must be 1..100, was " + pageSize);
    }
    if (changedMax < 0 || changedMax > pageSize) {
      throw new IllegalArgumentException("changedMax must be 0..pageSize, was " + changedMax);
    }
    if (fullSyncPercent < 0 || fullSyncPercent > 100) {
      throw new IllegalArgumentException("fullSyncPercent must be 0..100, was " + fullSyncPercent);
    }
    if (fullSyncPages < 1 || (long) fullSyncPages * pageSize > 1_000_000) {
      throw new IllegalArgumentException(
          "fullSyncPages must be >= 1 with at most 1,000,000 items, was " + fullSyncPages);
    }
  }

  /** Items in one full sync. */
  int totalItems() {
    return fullSyncPages * pageSize;
  }
}
