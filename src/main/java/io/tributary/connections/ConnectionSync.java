package io.tributary.connections;

import io.tributary.platform.database.DatabaseTrouble;
import io.tributary.platform.time.DatabaseTime;
import io.tributary.providers.ProviderClient;
import io.tributary.providers.ProviderClients;
import io.tributary.providers.ProviderException;
import io.tributary.providers.RecordBatch;
import io.tributary.providers.StoreResult;
import io.tributary.providers.SyncSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Syncs one connection now: the unit of work the sync engine runs for every connection, and the API's
 * and dashboard's "sync now". It never throws for a provider problem: every attempt ends in a {@link
 * SyncOutcome} and the connection's health is written.
 *
 * <p>Not transactional itself: each page is stored atomically on its own (see {@link RecordStore}),
 * so a long sync holds no transaction and a failure keeps the pages already stored. On PostgreSQL a
 * plain page (records and cursors) is kept back and written with the next page or with the outcome,
 * in one statement: most syncs are one or two small pages, and this makes them two statements in
 * all (lease, then pages and outcome) instead of one more per page. A crash before that write loses
 * nothing: the page's cursor was kept back with it, so the next sync asks for the same changes.
 */
@ApplicationScoped
public class ConnectionSync {

  private static final Logger LOG = Logger.getLogger(ConnectionSync.class.getName());

  @Inject ConnectionStore connections;
  @Inject RecordStore records;
  @Inject ConnectionHealth health;
  @Inject TokenRefresher refresher;
  @Inject TokenVault vault;
  @Inject ProviderClients clients;
  @Inject Clock clock;
  /** The connection's lease is kept in the database's time, shared by all instances. */
  @Inject @DatabaseTime Clock leaseClock;

  @Inject
  @ConfigProperty(name = "sync.connection.timeout.seconds", defaultValue = "120")
  long timeoutSeconds;

  /**
   * A kept-back page is written on its own once it would exceed this many records: a long full
   * sync still stores its progress page by page (a crash repeats at most this much work).
   */
  static final int KEEP_BACK_RECORDS = 250;

  /** Refresh proactively when the token expires within this margin. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(2);

  /** A "sync now" outside any run (API, dashboard). */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public Optional<SyncOutcome> sync(long connectionId, String leaseOwner) {
    return sync(connectionId, null, leaseOwner);
  }

  /**
   * Syncs one connection, holding its lease so no other run, instance or "sync now" syncs it at
   * the same time.
   *
   * @param executionId the run this sync belongs to, or null for a "sync now"
   * @return empty when there is no such connection; a {@code busy} outcome when someone else holds
   *     it
   */
  // No transaction around a sync: the lease, each page and the outcome commit on their own (a page
  // atomically), and the stores below rely on running outside one instead of each suspending it.
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public Optional<SyncOutcome> sync(long connectionId, Long executionId, String leaseOwner) {
    Optional<StoredConnection> leased =
        connections.leaseAndLoad(connectionId, leaseOwner, leaseUntil(), executionId);
    if (leased.isPresent()) {
      return Optional.of(sync(leased.get(), executionId, leaseOwner));
    }
    // Not leased: tell "no such connection" from "not active" from "someone else is syncing it" (or,
    // within a run, "this run has synced it already": the engine moves on from either).
    return connections.load(connectionId)
        .map(
            c -> {
              boolean active = c.status() == ConnectionStatus.ACTIVE;
              return new SyncOutcome(c.id(), c.provider().id(), active ? "busy" : "skipped", 0, 0, 0, 0, 0,
                  active ? "a sync of this connection is already running" : "connection is " + c.status().id(), null);
            });
  }

  /** A lease taken now ends after a whole sync's timeout and a minute more. */
  private Instant leaseUntil() {
    return leaseClock.instant().plusSeconds(timeoutSeconds + 60);
  }

  /**
   * How long after {@link #leaseForRun} a leased connection's sync may still start: its lease, the
   * sync timeout plus a minute, then still covers a whole sync. The engine gives back what it could
   * not start in time and leases it again.
   */
  public static final Duration BATCH_LEASE_USABLE = Duration.ofSeconds(30);

  /**
   * Leases a batch of a run's connections in one statement ({@link ConnectionStore#leaseAndLoadAll}):
   * those returned are the caller's to sync with {@link #syncLeased}, or to give back with {@link
   * #releaseLeases}; the others are inactive, busy elsewhere, or synced by this run already.
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public java.util.List<StoredConnection> leaseForRun(java.util.List<Long> ids, long executionId, String leaseOwner) {
    return connections.leaseAndLoadAll(ids, leaseOwner, leaseUntil(), executionId);
  }

  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public void releaseLeases(java.util.Collection<Long> ids, String leaseOwner) {
    connections.releaseLeases(ids, leaseOwner);
  }

  /**
   * Syncs a connection {@link #leaseForRun} leased. For the sync engine's own threads, which never
   * run inside a transaction: hence no {@code @Transactional} interception here, once per sync.
   */
  public SyncOutcome syncLeased(StoredConnection leased, long executionId, String leaseOwner) {
    return sync(leased, executionId, leaseOwner);
  }

  SyncOutcome sync(StoredConnection stored, Long executionId, String leaseOwner) {
    Instant started = clock.instant();
    ProviderClient client = clients.of(stored.provider());
    Session session = new Session(stored, client, Duration.ofSeconds(timeoutSeconds));
    SyncOutcome outcome;
    try {
      // Inside the try: a failure here (the database unavailable) must still record an outcome,
      // which releases the lease; otherwise the connection stays leased, skipped by every run, for minutes.
      session.open();
      if (stored.refreshTokenEnc() != null
          && stored.tokenExpiresAt() != null
          && stored.tokenExpiresAt().isBefore(started.plus(EXPIRY_MARGIN))) {
        session.refreshAccessToken(session.accessToken());
      }
      client.sync(session);
      outcome = session.outcome("success", null, null);
    } catch (ProviderException e) {
      String status =
          switch (e.kind()) {
            case REAUTH -> "needs_reauth";
            case RATE_LIMITED -> "deferred";
            default -> "failure";
          };
      outcome = session.outcome(status, e.getMessage(), e.retryAt());
    } catch (RuntimeException e) {
      if (DatabaseTrouble.is(e)) {
        // Our database, not the provider: one stable error (so it groups as one, never as a provider's).
        LOG.warning("Sync of connection " + stored.id() + " failed: the database is unavailable (" + e.getMessage() + ")");
        outcome = session.outcome("failure", DatabaseTrouble.SYNC_ERROR, null);
      } else {
        // A bug: logged in full here, summarised without detail for the API.
        LOG.log(Level.WARNING, "Sync of connection " + stored.id() + " failed unexpectedly", e);
        outcome = session.outcome("failure", "internal error (" + e.getClass().getSimpleName() + ")", null);
      }
    }
    return recordHealth(outcome, executionId, leaseOwner, session.takeKeptBack());
  }

  /** How long an outcome is retried against an unavailable database: the sync engine's patience. */
  static final int RECORD_ATTEMPTS = 60;

  /**
   * Records the outcome, with the sync's kept-back page if any, which also releases the
   * connection's lease. Retried (every second, for as long as the engine keeps a run going through
   * database trouble): a database restart or an exhausted pool must not leave the connection leased,
   * skipped by every run and counted by none, until the lease expires.
   */
  private SyncOutcome recordHealth(SyncOutcome outcome, Long executionId, String leaseOwner, RecordBatch page) {
    for (int attempt = 1; ; attempt++) {
      try {
        return outcome.plus(health.record(outcome, executionId, leaseOwner, page));
      } catch (RuntimeException e) {
        if (page != null && !DatabaseTrouble.is(e)) {
          // The page itself was refused (a bug: the provider's data broke a constraint). Its
          // records and cursor are dropped together (the next sync asks for them again); the
          // attempt is recorded as failed, so it is seen and counted.
          LOG.log(Level.WARNING, "Storing the last page of connection " + outcome.connectionId() + " failed", e);
          outcome = outcome.failed("internal error (" + e.getClass().getSimpleName() + ")");
          page = null;
          continue;
        }
        // Ten tries for anything (as before); beyond that only while the database is the problem.
        if (attempt >= RECORD_ATTEMPTS || (attempt >= 10 && !DatabaseTrouble.is(e))) {
          LOG.log(Level.WARNING, "Could not record the outcome of connection " + outcome.connectionId(), e);
          return outcome;
        }
        try {
          Thread.sleep(1000L);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return outcome;
        }
      }
    }
  }

  /** One sync's view of its connection; see {@link SyncSession}. */
  private final class Session implements SyncSession {
    private final StoredConnection stored;
    private final ProviderClient client;
    // Elapsed time on the monotonic clock: a wall-clock jump must not time a sync out or distort its duration.
    private final long startedNanos = System.nanoTime();
    private final Duration timeout;
    private final Map<String, String> cursors = new java.util.HashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String accessToken;
    private StoreResult stored_ = StoreResult.NONE;
    /** Plain pages not written yet: they go with the next page that is not plain, or with the outcome. */
    private RecordBatch keptBack;

    Session(StoredConnection stored, ProviderClient client, Duration timeout) {
      this.stored = stored;
      this.client = client;
      this.timeout = timeout;
    }

    private Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The token and the cursors (read with the lease): the first steps of a sync, which may fail like any later one. */
    void open() {
      accessToken = vault.decrypt(stored.accessTokenEnc(), stored.id());
      cursors.putAll(stored.cursors());
    }

    @Override
    public long connectionId() {
      return stored.id();
    }

    @Override
    public String accessToken() {
      return accessToken;
    }

    @Override
    public boolean canRefresh() {
      return stored.refreshTokenEnc() != null;
    }

    @Override
    public void refreshAccessToken(String rejectedToken) {
      accessToken = refresher.refresh(stored.id(), rejectedToken, client);
    }

    @Override
    public Optional<String> cursor(String name) {
      return Optional.ofNullable(cursors.get(name));
    }

    @Override
    public StoreResult store(RecordBatch batch) {
      if (batch.isEmpty()) {
        return StoreResult.NONE; // an incremental page with nothing new costs no transaction
      }
      StoreResult r;
      if (records.isPlainPage(batch)) {
        if (keptBack != null && keptBack.upserts().size() + batch.upserts().size() > KEEP_BACK_RECORDS) {
          writeKeptBack();
        }
        if (keptBack == null) {
          keptBack = new RecordBatch();
        }
        keptBack.upsertAll(batch.upserts());
        batch.cursors().forEach(keptBack::cursor);
        r = StoreResult.NONE; // counted when written
      } else {
        writeKeptBack(); // pages are written in order
        r = records.store(stored.id(), batch);
        stored_ = stored_.plus(r);
      }
      cursors.putAll(batch.cursors());
      batch.clearedCursors().forEach(cursors::remove);
      return r;
    }

    private void writeKeptBack() {
      RecordBatch page = takeKeptBack();
      if (page != null) {
        stored_ = stored_.plus(records.store(stored.id(), page));
      }
    }

    /** The kept-back page, for the outcome to write; the session keeps none after this. */
    RecordBatch takeKeptBack() {
      RecordBatch page = keptBack;
      keptBack = null;
      return page;
    }

    @Override
    public void countCall() {
      calls.incrementAndGet();
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Duration remaining() {
      return timeout.minus(elapsed());
    }

    SyncOutcome outcome(String status, String error, Instant retryAt) {
      long ms = elapsed().toMillis();
      return new SyncOutcome(
          stored.id(), stored.provider().id(), status, stored_.added(), stored_.updated(),
          stored_.removed(), calls.get(), ms, error, retryAt);
    }
  }
}
