package io.tributary.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pool wait an operator may give, and the mistakes that stop the start. */
class DataSourceConfigurationTest {

  @Test
  void aWaitFromOneMillisecondToAnHourIsAccepted() {
    assertEquals(Optional.empty(), DataSourceConfiguration.waitProblem("30000"));
    assertEquals(Optional.empty(), DataSourceConfiguration.waitProblem(" 1 "));
    assertEquals(Optional.empty(), DataSourceConfiguration.waitProblem("3600000"));
  }

  @Test
  void zeroWhichTheServerTakesAsForeverAndMalformedValuesAreRefused() {
    for (String wait : new String[] {"0", "-5", "", "abc", "1.5", "3600001", "99999999999"}) {
      Optional<String> problem = DataSourceConfiguration.waitProblem(wait);
      assertTrue(problem.isPresent() && problem.get().contains("DATABASE_POOL_MAX_WAIT_MS"), wait);
    }
  }
}
