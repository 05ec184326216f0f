package io.tributary.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL database for one test run, created fresh and dropped afterwards.
 *
 * <p>Where it comes from, in order: {@code TEST_DATABASE_URL} (a JDBC or libpq URL of a server where
 * we may create databases), the server at 127.0.0.1:5432 when one answers, otherwise a throwaway
 * cluster started from Debian's PostgreSQL binaries (installed with apt-get when missing and running
 * as root), run as the {@code postgres} user because PostgreSQL refuses to run as root.
 */
public final class TestDatabase implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TestDatabase.class.getName());

  private final String host;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  private final String databaseName;
  private final Path throwawayCluster;
  /** A throwaway cluster's server settings ({@code -c name=value …}), the same at every start. */
  private final String serverSettings;

  private TestDatabase(
      String host, int port, String user, String password, String databaseName, Path cluster) {
    this(host, port, user, password, databaseName, cluster, "");
  }

  private TestDatabase(
      String host, int port, String user, String password, String databaseName, Path cluster, String serverSettings) {
    this.host = host;
    this.port = port;
    this.adminUser = user;
    this.adminPassword = password;
    this.databaseName = databaseName;
    this.throwawayCluster = cluster;
    this.serverSettings = serverSettings;
  }

  /** A fresh database on a throwaway cluster of its own, which a test may restart or stop. */
  public static TestDatabase createThrowaway() {
    return startThrowawayCluster(newName(), TEST_SETTINGS);
  }

  /** What a throwaway cluster for tests runs with: no fsync (its data is thrown away), room for several pools. */
  private static final List<String> TEST_SETTINGS = List.of("fsync=off", "max_connections=300");

  /**
   * A fresh database on a throwaway cluster of its own, started with these server settings
   * ({@code name=value} each, e.g. a benchmark's production-like memory and checkpoint settings)
   * instead of the tests' ones; listening on 127.0.0.1 only, as every throwaway cluster.
   */
  public static TestDatabase createThrowaway(List<String> settings) {
    for (String setting : settings) {
      if (!setting.matches("[a-z_.]+=[A-Za-z0-9_.]+")) {
        throw new IllegalArgumentException("not a PostgreSQL setting name=value: " + setting);
      }
    }
    return startThrowawayCluster(newName(), settings);
  }

  private static String newName() {
    return "tributary_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Restarts a throwaway cluster (immediate shutdown: connections are cut as in a crash). */
  public void restartServer() {
    stopServer();
    startServer();
  }

  /**
   * Stops a throwaway cluster (immediate shutdown: connections are cut as in a crash); the
   * database stays unreachable until {@link #startServer}.
   */
  public void stopServer() {
    pgCtl("-m immediate -w -t 60 stop");
  }

  /** Starts a throwaway cluster stopped by {@link #stopServer}, on the same port. */
  public void startServer() {
    pgCtl("-w -t 60 -l " + throwawayCluster.resolve("server.log") + " -o \"-p " + port + " -k " + throwawayCluster
        + " -c listen_addresses=127.0.0.1" + serverSettings + "\" start");
  }

  private void pgCtl(String arguments) {
    if (throwawayCluster == null) {
      throw new IllegalStateException("only a throwaway cluster can be stopped or started by a test");
    }
    String command = pgBin("pg_ctl") + " -D " + throwawayCluster.resolve("data") + " " + arguments;
    boolean root = "root".equals(System.getProperty("user.name"));
    run(root ? List.of("su", "postgres", "-c", command) : List.of("sh", "-c", command), Duration.ofSeconds(60));
  }

  public static TestDatabase create() {
    String name = newName();
    Optional<String> given =
        Optional.ofNullable(System.getenv("TEST_DATABASE_URL")).filter(s -> !s.isBlank());
    if (given.isPresent()) {
      ServerAddress a = ServerAddress.parse(given.get());
      TestDatabase db = new TestDatabase(a.host, a.port, a.user, a.password, name, null);
      db.createDatabase();
      return db;
    }
    // -Dtributary.test.postgres=throwaway exercises the no-server path on a machine that has one.
    boolean forceThrowaway = "throwaway".equals(System.getProperty("tributary.test.postgres"));
    if (!forceThrowaway && answers("127.0.0.1", 5432)) {
      for (String user : List.of("postgres", System.getProperty("user.name"))) {
        TestDatabase db = new TestDatabase("127.0.0.1", 5432, user, null, name, null);
        try {
          db.createDatabase();
          return db;
        } catch (IllegalStateException e) {
          LOG.warning("Cannot create a database as " + user + " on 127.0.0.1:5432: " + e.getMessage());
        }
      }
    }
    return startThrowawayCluster(name, TEST_SETTINGS);
  }

  /** libpq URI form, as an operator would give DATABASE_URL. */
  public String databaseUrl() {
    String auth = adminUser + (adminPassword == null ? "" : ":" + adminPassword);
    return "postgresql://" + auth + "@" + host + ":" + port + "/" + databaseName;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + databaseName;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), adminUser, adminPassword);
  }

  /** The single number a query such as {@code SELECT COUNT(*) …} answers. */
  public long count(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return adminUser;
  }

  public String name() {
    return databaseName;
  }

  private void createDatabase() {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/postgres", adminUser, adminPassword);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + databaseName);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/postgres", adminUser, adminPassword);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
    } catch (SQLException e) {
      LOG.warning("Could not drop test database " + databaseName + ": " + e.getMessage());
    }
    if (throwawayCluster != null) {
      run(List.of("su", "postgres", "-c", pgBin("pg_ctl") + " -D " + throwawayCluster.resolve("data") + " -m immediate stop"), Duration.ofSeconds(60));
      deleteTree(throwawayCluster);
    }
  }

  // --- throwaway cluster -------------------------------------------------------------------

  private static TestDatabase startThrowawayCluster(String name, List<String> settings) {
    if (findPgBin().isEmpty()) {
      installPostgresql();
    }
    try {
      Path dir = Files.createTempDirectory("tributary-pg-");
      Path data = dir.resolve("data");
      int port = freePort();
      String options = settings.stream().map(o -> " -c " + o).collect(java.util.stream.Collectors.joining());
      boolean root = "root".equals(System.getProperty("user.name"));
      String init = pgBin("initdb") + " -D " + data + " -U postgres -A trust --no-sync -E UTF8";
      String start =
          pgBin("pg_ctl")
              + " -D "
              + data
              + " -w -t 60 -l "
              + dir.resolve("server.log")
              + " -o \"-p "
              + port
              + " -k "
              + dir
              + " -c listen_addresses=127.0.0.1" + options + "\" start";
      if (root) {
        run(List.of("chown", "-R", "postgres", dir.toString()), Duration.ofSeconds(30));
        run(List.of("su", "postgres", "-c", init), Duration.ofMinutes(2));
        run(List.of("su", "postgres", "-c", start), Duration.ofMinutes(2));
      } else {
        run(List.of("sh", "-c", init), Duration.ofMinutes(2));
        run(List.of("sh", "-c", start), Duration.ofMinutes(2));
      }
      LOG.info("Started a throwaway PostgreSQL cluster on 127.0.0.1:" + port + " in " + dir);
      TestDatabase db = new TestDatabase("127.0.0.1", port, "postgres", null, name, dir, options);
      db.createDatabase();
      return db;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start a throwaway PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static void installPostgresql() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "No PostgreSQL answers on 127.0.0.1:5432 and its binaries are missing: install Debian's"
              + " 'postgresql' package or set TEST_DATABASE_URL.");
    }
    LOG.info("Installing Debian's postgresql package for a throwaway test cluster");
    run(List.of("apt-get", "update", "-q"), Duration.ofMinutes(5));
    run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "postgresql"), Duration.ofMinutes(10));
  }

  private static Optional<Path> findPgBin() {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(p -> p.getParent().getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String pgBin(String tool) {
    return findPgBin().orElseThrow().resolve(tool).toString();
  }

  private static void run(List<String> command, Duration timeout) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("Command failed: " + String.join(" ", command) + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // Ports already handed out in this JVM. The kernel may give a just-closed ephemeral port again:
  // two Payara processes started at once (ClusterIT) once got the same one, and the second found
  // it taken and exited while the first answered its health checks.
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no free loopback port not handed out before");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warning("Could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** Host, port and credentials of a server given as libpq or JDBC URL. */
  record ServerAddress(String host, int port, String user, String password) {
    static ServerAddress parse(String url) {
      String u = url.startsWith("jdbc:") ? url.substring(5) : url;
      java.net.URI uri = java.net.URI.create(u.replaceFirst("^postgres(ql)?://", "postgresql://"));
      String user = "postgres";
      String password = null;
      if (uri.getUserInfo() != null) {
        String[] parts = uri.getUserInfo().split(":", 2);
        user = parts[0];
        password = parts.length > 1 ? parts[1] : null;
      }
      String query = uri.getQuery() == null ? "" : uri.getQuery();
      for (String kv : query.split("&")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2 && p[0].toLowerCase(Locale.ROOT).equals("user")) {
          user = p[1];
        } else if (p.length == 2 && p[0].toLowerCase(Locale.ROOT).equals("password")) {
          password = p[1];
        }
      }
      return new ServerAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password);
    }
  }
}
