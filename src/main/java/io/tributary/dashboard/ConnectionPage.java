package io.tributary.dashboard;

import io.tributary.connections.ConnectionView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One page of the integrations table, in id order, with the keys of the neighbouring pages.
 *
 * @param previousBefore the previous page is "before this id", or null when there is none
 * @param nextAfter the next page is "after this id", or null when there is none
 */
public record ConnectionPage(List<ConnectionView> rows, Long previousBefore, Long nextAfter) {

  /**
   * Assembles a page from what the query returned: {@code fetched} in query order (descending ids
   * when going backwards), at most {@code size + 1} rows, the extra one only showing that more rows
   * lie in that direction; {@code moreBehind} says whether rows lie in the other direction.
   */
  static ConnectionPage assemble(
      List<ConnectionView> fetched, boolean backwards, int size, boolean moreBehind) {
    boolean moreAhead = fetched.size() > size;
    List<ConnectionView> rows = new ArrayList<>(fetched.subList(0, Math.min(size, fetched.size())));
    if (backwards) {
      Collections.reverse(rows);
    }
    if (rows.isEmpty()) {
      return new ConnectionPage(List.of(), null, null);
    }
    long first = rows.get(0).id();
    long last = rows.get(rows.size() - 1).id();
    Long previous = (backwards ? moreAhead : moreBehind) ? first : null;
    Long next = (backwards ? moreBehind : moreAhead) ? last : null;
    return new ConnectionPage(List.copyOf(rows), previous, next);
  }
}
