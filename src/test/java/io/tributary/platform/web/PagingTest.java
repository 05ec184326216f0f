package io.tributary.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Path ids have one spelling: ASCII digits. */
class PagingTest {

  @Test
  void anIdIsAPositiveWholeNumberInAsciiDigits() {
    assertEquals(OptionalLong.of(42), Paging.parseId("42"));
    assertEquals(OptionalLong.of(999_999_999_999_999_999L), Paging.parseId("999999999999999999"));
    for (String bad : new String[] {"", "0", "-1", "+1", "1.0", "1e3", " 1", "0x10", "1234567890123456789", "\uFF11", "\u0661", "1\u0000"}) {
      assertTrue(Paging.parseId(bad).isEmpty(), bad);
    }
  }
}
