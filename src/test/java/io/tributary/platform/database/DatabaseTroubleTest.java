package io.tributary.platform.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ResourceAllocationException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** What counts as the database being unavailable rather than a bug. */
class DatabaseTroubleTest {

  @Test
  void anExhaustedPoolIsDatabaseTroubleThroughAnyWrapping() {
    // As Payara's pool reports it, wrapped by our stores.
    Throwable pool =
        new IllegalStateException(
            "Storing records failed",
            new SQLException("Error in allocating a connection", new ResourceAllocationException("In-use connections equal max-pool-size")));
    assertTrue(DatabaseTrouble.is(pool));
  }

  @Test
  void refusedLostOrStartingDatabasesAreTrouble() {
    assertTrue(DatabaseTrouble.is(new SQLException("too many connections for role", "53300")));
    assertTrue(DatabaseTrouble.is(new SQLException("Connection refused", "08001")));
    assertTrue(DatabaseTrouble.is(new SQLException("terminating connection due to administrator command", "57P01")));
    assertTrue(DatabaseTrouble.is(new RuntimeException(new SQLTransientConnectionException("timeout"))));
    // A commit on a connection PostgreSQL terminated, as the @Transactional interceptor reports it.
    jakarta.transaction.SystemException commit = new jakarta.transaction.SystemException();
    commit.initCause(new javax.transaction.xa.XAException("FATAL: terminating connection due to administrator command"));
    assertTrue(DatabaseTrouble.is(new jakarta.transaction.TransactionalException("exception during commit", commit)));
  }

  @Test
  void bugsAndBadDataAreNot() {
    assertFalse(DatabaseTrouble.is(new SQLException("syntax error", "42601")));
    assertFalse(DatabaseTrouble.is(new SQLException("duplicate key", "23505")));
    assertFalse(DatabaseTrouble.is(new IllegalStateException("no")));
    assertFalse(DatabaseTrouble.is(new NullPointerException()));
  }
}
