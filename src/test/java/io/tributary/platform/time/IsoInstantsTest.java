package io.tributary.platform.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

  private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @Test
  void writesAndReadsExactlyAsInstantDoesOnRandomInstants() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong(MIN - 86_400 * 400L, MAX + 86_400 * 400L); // and beyond 0000-9999
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(seconds, nanos);
      String text = t.toString();
      assertEquals(text, IsoInstants.format(t));
      assertEquals(t, IsoInstants.parse(text), text);
    }
  }

  @Test
  void readsTheFormsProvidersSend() {
    for (String s : List.of("2025-01-31T12:00:00Z", "2025-01-31T12:00:00.1Z", "2025-01-31T12:00:00.12Z",
        "2025-01-31T12:00:00.000Z", "2025-01-31T12:00:00.123456789Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
        // not the fast form: still read, as Instant.parse reads them
        "2025-01-31T12:00:00+01:00", "2025-06-30T23:59:60Z", "2025-01-31T24:00:00Z", "2025-01-31T12:00:00.Z", "+10000-01-01T00:00:00Z")) {
      assertEquals(Instant.parse(s), IsoInstants.parse(s), s);
    }
  }

  @Test
  void refusesWhatInstantRefuses() {
    for (String s : List.of("2025-02-30T12:00:00Z", "2025-13-01T12:00:00Z", "2025-01-31T12:60:00Z",
        "2025-01-31T12:00:00.1234567890Z", "2025-01-3xT12:00:00Z", "2025-01-31 12:00:00Z",
        "2025-01-31T12:00:00", "")) {
      assertThrows(DateTimeParseException.class, () -> Instant.parse(s), s);
      assertThrows(DateTimeParseException.class, () -> IsoInstants.parse(s), s);
    }
  }
}
