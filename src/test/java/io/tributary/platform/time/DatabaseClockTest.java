package io.tributary.platform.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DatabaseClockTest {

  /** A database whose clock the test sets, counting how often it is asked; null = unreachable. */
  static final class FakeDatabase {
    volatile Instant now;
    final AtomicInteger reads = new AtomicInteger();

    DataSource dataSource() {
      return proxy(DataSource.class, (m, args) -> {
        if (!m.equals("getConnection")) {
          throw new UnsupportedOperationException(m);
        }
        if (now == null) {
          throw new SQLException("connection refused", "08001");
        }
        return proxy(Connection.class, (cm, cargs) -> switch (cm) {
          case "createStatement" -> proxy(Statement.class, (sm, sargs) -> switch (sm) {
            case "executeQuery" -> {
              assertEquals("SELECT CURRENT_TIMESTAMP", sargs[0]);
              reads.incrementAndGet();
              OffsetDateTime t = now.atOffset(ZoneOffset.ofHours(1)); // the driver's zone must not matter
              yield proxy(ResultSet.class, (rm, rargs) -> switch (rm) {
                case "next" -> true;
                case "getObject" -> t;
                case "close" -> null;
                default -> throw new UnsupportedOperationException(rm);
              });
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(sm);
          });
          case "close" -> null;
          default -> throw new UnsupportedOperationException(cm);
        });
      });
    }
  }

  interface Handler {
    Object handle(String method, Object[] args) throws Exception;
  }

  @SuppressWarnings("unchecked")
  static <T> T proxy(Class<T> type, Handler h) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> h.handle(m.getName(), args));
  }

  final FakeDatabase db = new FakeDatabase();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final DatabaseClock clock = new DatabaseClock(db.dataSource(), nanos::get);

  void pass(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void followsTheDatabasesTimeNotTheHostsAndReadsItOncePerMinute() {
    Instant dbNow = Instant.parse("2031-06-01T10:00:00Z"); // years away from this host's clock
    db.now = dbNow;
    assertEquals(dbNow, clock.instant());
    pass(Duration.ofSeconds(30));
    db.now = dbNow.plusSeconds(30);
    assertEquals(dbNow.plusSeconds(30), clock.instant(), "carried forward with the monotonic clock");
    pass(Duration.ofSeconds(29));
    assertEquals(dbNow.plusSeconds(59), clock.instant());
    assertEquals(1, db.reads.get(), "no round trip per lease");
    pass(Duration.ofSeconds(1));
    db.now = dbNow.plusSeconds(62); // the database's clock was corrected meanwhile
    assertEquals(dbNow.plusSeconds(62), clock.instant(), "read again after a minute");
    assertEquals(2, db.reads.get());
  }

  @Test
  void aJumpOfTheHostsWallClockDoesNotMoveIt() {
    Instant dbNow = Instant.parse("2031-06-01T10:00:00Z");
    db.now = dbNow;
    clock.instant();
    // The host's wall clock may jump by hours: only the monotonic time that passed counts.
    pass(Duration.ofSeconds(5));
    assertEquals(dbNow.plusSeconds(5), clock.instant());
  }

  @Test
  void whenTheDatabaseCannotBeReadItKeepsGoingFromTheLastReadingAndRetriesSoon() {
    Instant dbNow = Instant.parse("2031-06-01T10:00:00Z");
    db.now = dbNow;
    clock.instant();
    db.now = null; // down
    pass(Duration.ofSeconds(61));
    assertEquals(dbNow.plusSeconds(61), clock.instant(), "extrapolated from the last reading");
    pass(Duration.ofSeconds(4));
    db.now = dbNow.plusSeconds(70);
    assertEquals(dbNow.plusSeconds(65), clock.instant(), "not read again before the retry pause");
    pass(Duration.ofSeconds(1));
    assertEquals(dbNow.plusSeconds(70), clock.instant(), "read again once the pause is over");
  }

  @Test
  void withNoReadingYetItStartsFromTheHostsClock() {
    db.now = null;
    Instant before = Instant.now();
    Instant t = clock.instant();
    assertTrue(!t.isBefore(before) && !t.isAfter(Instant.now()), t + " is the host's time");
    db.now = Instant.parse("2031-06-01T10:00:00Z");
    pass(Duration.ofSeconds(5));
    assertEquals(Instant.parse("2031-06-01T10:00:00Z"), clock.instant(), "the database's time once it answers");
  }
}
