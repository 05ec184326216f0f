package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a test tells "Payara Micro is up but the WAR is not" from "still booting" (the record format is Payara's own). */
class PayaraProcessTest {
  static final String BOOTING =
      "[2026-12-07T21:29:17.650+0000] [] [\u001b[1;92mINFO\u001b[0m] [] [\u001b[1;94mPayaraMicro\u001b[0m] [tid: _ThreadID=1 _ThreadName=main]"
          + " [timeMillis: 1796678957650] [levelValue: 800] Payara Micro 6.2025.10 (build 42) starting\n\n";
  static final String READY =
      "[2026-12-07T21:29:33.958+0000] [] [\u001b[1;92mINFO\u001b[0m] [] [\u001b[1;94mPayaraMicro\u001b[0m] [tid: _ThreadID=1 _ThreadName=main]"
          + " [timeMillis: 1796678973958] [levelValue: 800] Payara Micro 6.2025.10 (build 42) ready in 16,323 (ms)\n\n";
  static final String SEVERE =
      "[2026-12-07T21:29:30.100+0000] [] [\u001b[1;91mSEVERE\u001b[0m] [AS-DEPLOYMENT-00026] [\u001b[1;94mjavax.enterprise.system.core\u001b[0m]"
          + " [tid: _ThreadID=1 _ThreadName=main] [levelValue: 1000] Exception while deploying the app [tributary-shifted-clock]\n"
          + "java.lang.IllegalStateException: the cause\n\tat some.Frame(Frame.java:1)\n\n";
  static final String INFO =
      "[2026-12-07T21:29:30.200+0000] [] [\u001b[1;92mINFO\u001b[0m] [] [\u001b[1;94mPayaraMicro\u001b[0m] [levelValue: 800] an ordinary line\n\n";

  @Test
  void aLogStillBootingOrWithTheWarDeployedIsNoFailure() {
    assertNull(PayaraProcess.deploymentFailure(BOOTING));
    assertNull(PayaraProcess.deploymentFailure(BOOTING + SEVERE), "booting: the deployment may still be reported");
    String deployed = BOOTING + SEVERE.replace("deploying", "reading a setting")
        + "[2026-12-07T21:29:30.710+0000] [] [INFO] [] [PayaraMicro] [levelValue: 800] Deployed 1 archive(s)\n\n" + READY;
    assertNull(PayaraProcess.deploymentFailure(deployed));
  }

  @Test
  void bootFinishedWithNothingDeployedQuotesTheSevereRecordsWithTheirStackTraces() {
    String failure = PayaraProcess.deploymentFailure(
        BOOTING + INFO + SEVERE + "[2026-12-07T21:29:30.710+0000] [] [INFO] [] [PayaraMicro] [levelValue: 800] Deployed 0 archive(s)\n\n" + READY);
    assertTrue(failure.contains("AS-DEPLOYMENT-00026"), failure);
    assertTrue(failure.contains("java.lang.IllegalStateException: the cause\n\tat some.Frame"), failure);
    assertTrue(!failure.contains("an ordinary line"), failure);
  }

  @Test
  void bootFinishedWithNothingDeployedAndNoSevereRecordSaysSo() {
    assertEquals("(no SEVERE record in the log)", PayaraProcess.deploymentFailure(BOOTING + INFO + READY));
  }
}
