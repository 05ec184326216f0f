package io.tributary.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pool settings an operator may give, and the mistakes that stop the start. */
class DataSourceConfigurationTest {

  @Test
  void sensiblePoolSettingsAreAccepted() {
    assertEquals(Optional.empty(), DataSourceConfiguration.poolProblem("64", "30000"));
    assertEquals(Optional.empty(), DataSourceConfiguration.poolProblem(" 1 ", "1"));
    assertEquals(Optional.empty(), DataSourceConfiguration.poolProblem("10000", "3600000"));
  }

  @Test
  void sizesTheServerWouldSilentlyReplaceAreRefused() {
    for (String size : new String[] {"0", "-5", "", "abc", "1.5", "10001", "99999999999"}) {
      Optional<String> problem = DataSourceConfiguration.poolProblem(size, "30000");
      assertTrue(problem.isPresent() && problem.get().contains("DATABASE_POOL_MAX_SIZE"), size);
    }
    // A wait of 0 would mean "wait forever" for a connection.
    assertTrue(DataSourceConfiguration.poolProblem("64", "0").orElseThrow().contains("DATABASE_POOL_MAX_WAIT_MS"));
  }
}
