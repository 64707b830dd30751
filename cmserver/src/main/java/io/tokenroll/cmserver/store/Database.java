package io.tokenroll.cmserver.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded H2 database holding the CA database and the CM state: a file in the state directory, so a restart
 * loses nothing, or a private in-memory database for tests.
 *
 * <p>Connections are kept open, each with its prepared statements, and reused: a transaction borrows one. (H2's
 * own JdbcConnectionPool rolls back on every borrow and return, and a rollback empties the session's parsed-
 * statement cache, so every statement was parsed again: a third of the database time in profiles.)
 */
public final class Database implements AutoCloseable {
  /** Work done in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Tx tx) throws SQLException;
  }

  /**
   * One transaction's view of its connection. Statements are prepared once per connection and reused: set every
   * parameter, close the result sets, and do not close the statements.
   */
  public interface Tx {
    PreparedStatement prepare(String sql) throws SQLException;

    /** A statement whose {@code getGeneratedKeys()} answers the keys an INSERT generated. */
    PreparedStatement prepareReturningKeys(String sql) throws SQLException;

    Connection connection();
  }

  /** Connections kept idle at most; more are opened while many transactions run at once, then closed. */
  private static final int MAX_IDLE = 32;

  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS ca_key (name VARCHAR(32) PRIMARY KEY, private_key VARBINARY(8192) NOT NULL,"
          + " certificate VARBINARY(16384) NOT NULL)",
      "CREATE TABLE IF NOT EXISTS ca_request (id INT AUTO_INCREMENT PRIMARY KEY, requester VARCHAR(256) NOT NULL,"
          + " requester_upn VARCHAR(256), template VARCHAR(256), request VARBINARY(65536), disposition INT NOT NULL,"
          + " status INT NOT NULL, message VARCHAR(2048), serial VARCHAR(64), certificate VARBINARY(16384),"
          + " submitted TIMESTAMP WITH TIME ZONE NOT NULL, resolved TIMESTAMP WITH TIME ZONE,"
          + " revoked TIMESTAMP WITH TIME ZONE, revocation_reason INT)",
      "CREATE UNIQUE INDEX IF NOT EXISTS ca_request_serial ON ca_request(serial)",
      "CREATE TABLE IF NOT EXISTS ca_counter (name VARCHAR(32) PRIMARY KEY, counter BIGINT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS cm_document (kind VARCHAR(32) NOT NULL, id VARCHAR(64) NOT NULL,"
          + " owner VARCHAR(256), lookup VARCHAR(256), body VARCHAR(1000000) NOT NULL, PRIMARY KEY (kind, id))",
      "CREATE INDEX IF NOT EXISTS cm_document_owner ON cm_document(kind, owner)",
      "CREATE INDEX IF NOT EXISTS cm_document_lookup ON cm_document(kind, lookup)",
  };

  private final JdbcDataSource source = new JdbcDataSource();
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();

  private Database(String url) throws SQLException {
    source.setURL(url);
    source.setUser("cmserver");
    source.setPassword("");
    transaction(tx -> {
      try (Statement s = tx.connection().createStatement()) {
        for (String sql : SCHEMA) {
          s.execute(sql);
        }
      }
      return null;
    });
  }

  /** Opens {@code <directory>/cmserver.mv.db}, creating it, or a fresh in-memory database when null. */
  public static Database open(Path directory) throws SQLException {
    if (directory == null) {
      return new Database("jdbc:h2:mem:cmserver-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
    try {
      Files.createDirectories(directory);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create state directory " + directory, e);
    }
    return new Database("jdbc:h2:file:" + directory.toAbsolutePath().resolve("cmserver") + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T transaction(Work<T> work) throws SQLException {
    Session s = idle.pollFirst();
    if (s == null) {
      s = new Session(source.getConnection());
    }
    boolean reusable = false;
    try {
      T result;
      try {
        result = work.run(s);
      } catch (SQLException | RuntimeException e) {
        s.connection.rollback();
        reusable = true;
        throw e;
      }
      s.connection.commit();
      reusable = true;
      return result;
    } finally {
      if (reusable && idle.size() < MAX_IDLE) {
        idle.offerFirst(s); // the most recently used first: its statements and pages are warm
      } else {
        s.close();
      }
    }
  }

  @Override
  public void close() {
    try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already closed or never opened: nothing left to flush.
    }
    for (Session s; (s = idle.pollFirst()) != null; ) {
      s.close();
    }
  }

  /** A connection outside auto-commit and the statements prepared on it. Used by one transaction at a time. */
  private static final class Session implements Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, PreparedStatement> returningKeys = new HashMap<>();

    Session(Connection connection) throws SQLException {
      this.connection = connection;
      try {
        connection.setAutoCommit(false);
      } catch (SQLException e) {
        close();
        throw e;
      }
    }

    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    @Override
    public PreparedStatement prepareReturningKeys(String sql) throws SQLException {
      PreparedStatement ps = returningKeys.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
        returningKeys.put(sql, ps);
      }
      return ps;
    }

    @Override
    public Connection connection() {
      return connection;
    }

    void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing a connection of a database that is shut down: nothing to release.
      }
    }
  }
}
