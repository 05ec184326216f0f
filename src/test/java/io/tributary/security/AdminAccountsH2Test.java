package io.tributary.security;

import io.tributary.testing.Databases;

import javax.sql.DataSource;

/** {@link AdminAccountsBehaviour} on the embedded H2 of demo mode. */
class AdminAccountsH2Test extends AdminAccountsBehaviour {
  @Override
  DataSource emptyDatabase() {
    return Databases.migratedH2();
  }
}
