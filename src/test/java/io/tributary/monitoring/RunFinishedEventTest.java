package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.sync.ExecutionLog;
import io.tributary.sync.RunFinished;
import io.tributary.sync.SyncJob;
import io.tributary.testing.MapConfig;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import io.tributary.testing.ThreadBoundTransactions;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one hook monitoring has in the sync path: {@link ExecutionLog#finish} announces a run once,
 * when its row leaves {@code running}, with the job and the final status (not again when a second
 * finish, e.g. the interrupted-run sweep, finds it finished).
 */
class RunFinishedEventTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  /** Records fired events (outside a container there is no CDI). */
  static final class Recorded implements Event<RunFinished> {
    final List<RunFinished> fired = new ArrayList<>();

    @Override
    public void fire(RunFinished event) {
      fired.add(event);
    }

    @Override
    public <U extends RunFinished> CompletionStage<U> fireAsync(U event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends RunFinished> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Event<RunFinished> select(Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends RunFinished> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends RunFinished> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }

  static void set(Object target, String field, Object value) throws ReflectiveOperationException {
    Field f = ExecutionLog.class.getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }

  @Test
  void aRunIsAnnouncedOnceWithItsJobAndFinalStatus() throws Exception {
    new MonitoringFixture(POSTGRES.dataSource(), Instant.now(), new MapConfig()).reset();
    ThreadBoundTransactions tx = new ThreadBoundTransactions(POSTGRES.dataSource());
    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    Recorded events = new Recorded();
    ExecutionLog log = new ExecutionLog();
    set(log, "dataSource", tx);
    set(log, "clock", (Clock) clock);
    set(log, "leaseClock", (Clock) clock);
    set(log, "runFinished", events);

    long id = tx.inTransaction(() -> log.start(SyncJob.FIFTEEN_MINUTES, "manual", clock.instant(), null, 0, "test"));
    clock.advance(Duration.ofSeconds(3));
    tx.inTransaction(() -> {
      log.finish(id, null, null, "test");
      return null;
    });
    tx.inTransaction(() -> {
      log.finish(id, "interrupted", "late sweep", "other");
      return null;
    });
    assertEquals(List.of(new RunFinished(id, "sync-integrations-15min", "success")), events.fired);
  }
}
