package io.tokenroll.cmserver.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CM state (requests, smart cards, profiles, issued-certificate links, archived keys) as JSON documents keyed
 * by kind and id, with the owning user and one lookup value indexed. Values are records that Jackson maps.
 *
 * @param <T> the record type of this kind
 */
public final class Documents<T> {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** The size of cm_document.body (see {@link Database}). */
  public static final int MAX_BODY_CHARS = 1_000_000;

  private final Database db;
  private final String kind;
  private final Class<T> type;

  public Documents(Database db, String kind, Class<T> type) {
    this.db = db;
    this.kind = kind;
    this.type = type;
  }

  /** Inserts or replaces the document {@code id}. */
  public void put(String id, String owner, String lookup, T value) throws SQLException {
    String body = write(value);
    if (body.length() > MAX_BODY_CHARS) { // a request body under the size limit can still grow past this stored
      throw new DocumentTooLargeException("The " + kind + " would take " + body.length() + " characters to store; "
          + "at most " + MAX_BODY_CHARS + " are allowed. Send less data (fewer or shorter data collection items).");
    }
    db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("MERGE INTO cm_document KEY(kind, id) VALUES (?, ?, ?, ?, ?)");
      ps.setString(1, kind);
      ps.setString(2, id);
      ps.setString(3, owner);
      ps.setString(4, lookup);
      ps.setString(5, body);
      return ps.executeUpdate();
    });
  }

  public Optional<T> get(String id) throws SQLException {
    return select("id = ?", id).stream().findFirst();
  }

  public List<T> byOwner(String owner) throws SQLException {
    return select("owner = ?", owner);
  }

  public List<T> byLookup(String lookup) throws SQLException {
    return select("lookup = ?", lookup);
  }

  public List<T> all() throws SQLException {
    return select("? = ?", 1, 1);
  }

  private List<T> select(String where, Object... args) throws SQLException {
    return db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("SELECT body FROM cm_document WHERE kind = ? AND " + where + " ORDER BY id");
      ps.setString(1, kind);
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 2, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs.getString(1)));
        }
        return out;
      }
    });
  }

  private String write(T value) throws SQLException {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot serialize " + kind, e);
    }
  }

  private T read(String body) throws SQLException {
    try {
      return JSON.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt " + kind + " document", e);
    }
  }
}
