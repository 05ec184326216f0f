package io.tributary.testing;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What JTA does for a service under test in the container, in miniature: inside {@link
 * #inTransaction} every {@code getConnection()} on this thread returns the same connection,
 * committed at the end. Outside it, connections are plain auto-commit ones.
 */
public final class ThreadBoundTransactions implements DataSource {
  private final DataSource delegate;
  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  public ThreadBoundTransactions(DataSource delegate) {
    this.delegate = delegate;
  }

  public <T> T inTransaction(Callable<T> work) throws Exception {
    try (Connection c = delegate.getConnection()) {
      c.setAutoCommit(false);
      current.set(c);
      try {
        T result = work.call();
        c.commit();
        return result;
      } catch (Exception | Error e) {
        c.rollback();
        throw e;
      } finally {
        current.remove();
      }
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = current.get();
    if (c == null) {
      return delegate.getConnection();
    }
    // The transaction's connection; closing a handle must not end the transaction.
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              try {
                return method.invoke(c, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
