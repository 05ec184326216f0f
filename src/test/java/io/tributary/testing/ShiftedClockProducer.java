package io.tributary.testing;

import io.tributary.platform.time.UtcClock;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A test seam added to a copy of the real WAR (never to the shipped one): the application's clock
 * runs at the host's pace but shifted by an offset the test writes to a file ({@code
 * -Dtributary.test.clock.file}), so a running server can be made to see its clock jump forward or
 * back, as after an NTP step or a VM resume. Only the injected {@link Clock} moves; the database's
 * clock, and so leases, stay where they are, exactly as when a host's clock jumps.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION + 100)
@ApplicationScoped
public class ShiftedClockProducer {

  private ShiftedClock clock;

  @PostConstruct
  void init() {
    clock = new ShiftedClock(Path.of(System.getProperty("tributary.test.clock.file")));
  }

  @Produces
  Clock clock() {
    return clock;
  }

  /** The classes to add to a WAR. */
  public static Class<?>[] classes() {
    return new Class<?>[] {ShiftedClockProducer.class, ShiftedClock.class};
  }

  /** Sets a server's clock (through its file) so that it reads {@code appTime} now. */
  public static void set(Path file, Instant appTime) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Long.toString(Duration.between(Instant.now(), appTime).toMillis()));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The host's clock plus the file's offset in milliseconds, re-read at most every 100 ms. */
  static final class ShiftedClock extends UtcClock {
    private final Path file;
    private volatile long offsetMillis;
    private volatile long readAtNanos = Long.MIN_VALUE;

    ShiftedClock(Path file) {
      this.file = file;
    }

    @Override
    public Instant instant() {
      long now = System.nanoTime();
      if (readAtNanos == Long.MIN_VALUE || now - readAtNanos > 100_000_000L) {
        try {
          offsetMillis = Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
          // keep the last offset: the test is replacing the file
        }
        readAtNanos = now;
      }
      return Instant.now().plusMillis(offsetMillis);
    }
  }
}
