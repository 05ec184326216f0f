package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.connections.ConnectionView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keyset page assembly: the extra row, the direction, the neighbours' keys. */
class ConnectionPageTest {

  static ConnectionView row(long id) {
    return new ConnectionView(id, "u", "github", "active", null, null, null, null, null, null, null, 0, 0, 0, null);
  }

  static List<ConnectionView> rows(long... ids) {
    List<ConnectionView> out = new ArrayList<>();
    for (long id : ids) {
      out.add(row(id));
    }
    return out;
  }

  static List<Long> ids(ConnectionPage p) {
    return p.rows().stream().map(ConnectionView::id).toList();
  }

  @Test
  void theFirstPageWithMoreHasOnlyANextLink() {
    ConnectionPage p = ConnectionPage.assemble(rows(1, 2, 3, 4), false, 3, false);
    assertEquals(List.of(1L, 2L, 3L), ids(p));
    assertEquals(3L, p.nextAfter());
    assertNull(p.previousBefore());
  }

  @Test
  void aMiddlePageLinksBothWays() {
    ConnectionPage p = ConnectionPage.assemble(rows(5, 6, 7, 8), false, 3, true);
    assertEquals(List.of(5L, 6L, 7L), ids(p));
    assertEquals(5L, p.previousBefore());
    assertEquals(7L, p.nextAfter());
  }

  @Test
  void theLastPageHasNoNextLink() {
    ConnectionPage p = ConnectionPage.assemble(rows(9, 10), false, 3, true);
    assertEquals(List.of(9L, 10L), ids(p));
    assertEquals(9L, p.previousBefore());
    assertNull(p.nextAfter());
  }

  @Test
  void goingBackwardsTheRowsComeDescendingAndAreShownAscending() {
    ConnectionPage p = ConnectionPage.assemble(rows(8, 7, 6, 5), true, 3, true);
    assertEquals(List.of(6L, 7L, 8L), ids(p));
    assertEquals(6L, p.previousBefore(), "the extra row shows there is more before");
    assertEquals(8L, p.nextAfter(), "we came from after");
    ConnectionPage first = ConnectionPage.assemble(rows(2, 1), true, 3, true);
    assertEquals(List.of(1L, 2L), ids(first));
    assertNull(first.previousBefore());
    assertEquals(2L, first.nextAfter());
  }

  @Test
  void anEmptyPageLinksNowhere() {
    ConnectionPage p = ConnectionPage.assemble(List.of(), true, 3, true);
    assertEquals(List.of(), p.rows());
    assertNull(p.previousBefore());
    assertNull(p.nextAfter());
  }
}
