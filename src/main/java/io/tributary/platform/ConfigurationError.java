package io.tributary.platform;

import java.util.logging.Logger;

/**
 * A setting an operator must fix before the service can run. The service says so in one log line
 * naming the variable and the expected form; on Payara Micro (one process, one application) it then
 * exits with status 78 (EX_CONFIG) instead of leaving a half-deployed server and a wall of stack
 * traces. On a shared server (Payara Server, WildFly) only the deployment fails.
 */
public final class ConfigurationError extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ConfigurationError.class.getName());

  public ConfigurationError(String message) {
    super(message, null);
    setStackTrace(new StackTraceElement[0]);
  }

  /** Logs the problem and stops the start. Never returns normally. */
  public static ConfigurationError stop(String message) {
    LOG.severe("Tributary cannot start: " + message);
    if (onPayaraMicro() && !Boolean.getBoolean("tributary.config.error.no-exit")) {
      System.err.flush();
      Runtime.getRuntime().halt(78);
    }
    throw new ConfigurationError(message);
  }

  private static boolean onPayaraMicro() {
    try {
      Class.forName("fish.payara.micro.PayaraMicro", false, ConfigurationError.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
