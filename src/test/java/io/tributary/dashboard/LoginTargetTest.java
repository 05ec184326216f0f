package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The login page returns only to dashboard pages of this application. */
class LoginTargetTest {

  @Test
  void dashboardPagesAreKept() {
    assertEquals("/dashboard/integrations?provider=github&status=failing",
        LoginTarget.safe("/dashboard/integrations?provider=github&status=failing"));
    assertEquals("/dashboard/execution?id=4", LoginTarget.safe("/dashboard/execution?id=4"));
    assertEquals("/dashboard", LoginTarget.safe("/dashboard"));
  }

  @Test
  void everythingElseGoesToTheMonitoringPage() {
    for (String bad :
        new String[] {
          null, "", "/", "https://evil.example/dashboard/", "//evil.example", "/dashboard//evil.example",
          "/dashboard/\\evil", "/dashboard/../api/connections", "/dashboard/x\r\nSet-Cookie: a=b",
          "/dashboardx", "/api/cron/monitoring", "/dashboard/é", "/dashboard/admins", "/dashboard/" + "x".repeat(1000)
        }) {
      assertEquals(LoginTarget.DEFAULT, LoginTarget.safe(bad), String.valueOf(bad));
    }
  }
}
