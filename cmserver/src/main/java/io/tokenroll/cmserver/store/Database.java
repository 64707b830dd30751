package io.tokenroll.cmserver.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database holding the CA database and the CM state: a file in the state directory, so a restart
 * loses nothing, or a private in-memory database for tests.
 */
public final class Database implements AutoCloseable {
  /** Work done in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

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

  private final JdbcConnectionPool pool;

  private Database(String url) throws SQLException {
    // H2 keeps 8 parsed statements per connection by default; cmserver has more, and reparsing showed in profiles.
    this.pool = JdbcConnectionPool.create(url + ";QUERY_CACHE_SIZE=64", "cmserver", "");
    pool.setMaxConnections(32);
    transaction(c -> {
      try (Statement s = c.createStatement()) {
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
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  @Override
  public void close() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already closed or never opened: nothing left to flush.
    }
    pool.dispose();
  }
}
