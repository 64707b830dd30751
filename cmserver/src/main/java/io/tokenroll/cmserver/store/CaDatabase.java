package io.tokenroll.cmserver.store;

import io.tokenroll.protocol.certsrv.Disposition;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CA's tables: its keys, its requests with their dispositions and certificates, and the CRL number. */
public final class CaDatabase {
  /** A CA key pair and certificate as stored: PKCS#8 and DER. */
  public record KeyRow(byte[] privateKey, byte[] certificate) {
  }

  private static final String COLUMNS = "id, requester, requester_upn, template, request, disposition, status,"
      + " message, serial, certificate, submitted, resolved, revoked, revocation_reason";

  private final Database db;

  public CaDatabase(Database db) {
    this.db = db;
  }

  public Optional<KeyRow> key(String name) throws SQLException {
    return db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("SELECT private_key, certificate FROM ca_key WHERE name = ?");
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new KeyRow(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
      }
    });
  }

  public void saveKey(String name, KeyRow row) throws SQLException {
    db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("MERGE INTO ca_key KEY(name) VALUES (?, ?, ?)");
      ps.setString(1, name);
      ps.setBytes(2, row.privateKey());
      ps.setBytes(3, row.certificate());
      return ps.executeUpdate();
    });
  }

  /** Records a new request and returns it with its request id, the next in sequence as AD CS numbers them. */
  public CaRecord insert(CaRecord r) throws SQLException {
    return db.transaction(tx -> {
      PreparedStatement ps = tx.prepareReturningKeys("INSERT INTO ca_request (requester, requester_upn, template,"
          + " request, disposition, status, message, serial, certificate, submitted, resolved)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      ps.setString(1, r.requester());
      ps.setString(2, r.requesterUpn());
      ps.setString(3, r.template());
      ps.setBytes(4, r.request());
      ps.setInt(5, r.disposition());
      ps.setInt(6, r.status());
      ps.setString(7, r.message());
      ps.setString(8, r.serial() == null ? null : r.serial().toString(16));
      ps.setBytes(9, r.certificate());
      ps.setObject(10, time(r.submitted()));
      ps.setObject(11, time(r.resolved()));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        int id = keys.getInt(1);
        return new CaRecord(id, r.requester(), r.requesterUpn(), r.template(), r.request(), r.disposition(),
            r.status(), r.message(), r.serial(), r.certificate(), r.submitted(), r.resolved(), null, null);
      }
    });
  }

  /** Stores a new outcome for a request; returns false when the row was not in {@code expectedDisposition}. */
  public boolean resolve(CaRecord r, int expectedDisposition) throws SQLException {
    return db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("UPDATE ca_request SET disposition = ?, status = ?,"
          + " message = ?, serial = ?, certificate = ?, resolved = ? WHERE id = ? AND disposition = ?");
      ps.setInt(1, r.disposition());
      ps.setInt(2, r.status());
      ps.setString(3, r.message());
      ps.setString(4, r.serial() == null ? null : r.serial().toString(16));
      ps.setBytes(5, r.certificate());
      ps.setObject(6, time(r.resolved()));
      ps.setInt(7, r.requestId());
      ps.setInt(8, expectedDisposition);
      return ps.executeUpdate() == 1;
    });
  }

  /** Marks an issued certificate revoked; false when no issued certificate has that serial. */
  public boolean revoke(BigInteger serial, int reason, Instant when) throws SQLException {
    return db.transaction(tx -> {
      PreparedStatement ps = tx.prepare("UPDATE ca_request SET disposition = ?, revoked = ?,"
          + " revocation_reason = ?, message = ? WHERE serial = ? AND disposition = ?");
      ps.setInt(1, Disposition.CR_DISP_REVOKED);
      ps.setObject(2, time(when));
      ps.setInt(3, reason);
      ps.setString(4, "Revoked");
      ps.setString(5, serial.toString(16));
      ps.setInt(6, Disposition.CR_DISP_ISSUED);
      return ps.executeUpdate() == 1;
    });
  }

  public Optional<CaRecord> find(int requestId) throws SQLException {
    return findOne("id = ?", requestId);
  }

  public Optional<CaRecord> findBySerial(BigInteger serial) throws SQLException {
    return findOne("serial = ?", serial.toString(16));
  }

  public List<CaRecord> withDisposition(int disposition) throws SQLException {
    return db.transaction(tx -> query(tx, "disposition = ? ORDER BY id", disposition));
  }

  /** The next CRL number, counted from 1 and kept across restarts. */
  public long nextCrlNumber() throws SQLException {
    return db.transaction(tx -> {
      tx.prepare("MERGE INTO ca_counter KEY(name) VALUES ('crl', COALESCE((SELECT counter FROM ca_counter"
          + " WHERE name = 'crl'), 0) + 1)").executeUpdate();
      try (ResultSet rs = tx.prepare("SELECT counter FROM ca_counter WHERE name = 'crl'").executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private Optional<CaRecord> findOne(String where, Object arg) throws SQLException {
    return db.transaction(tx -> query(tx, where, arg).stream().findFirst());
  }

  private static List<CaRecord> query(Database.Tx tx, String where, Object arg) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT " + COLUMNS + " FROM ca_request WHERE " + where);
    ps.setObject(1, arg);
    try (ResultSet rs = ps.executeQuery()) {
      List<CaRecord> out = new ArrayList<>();
      while (rs.next()) {
        String serial = rs.getString(9);
        Integer reason = rs.getObject(14, Integer.class);
        out.add(new CaRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
            rs.getInt(6), rs.getInt(7), rs.getString(8), serial == null ? null : new BigInteger(serial, 16),
            rs.getBytes(10), instant(rs.getObject(11, OffsetDateTime.class)),
            instant(rs.getObject(12, OffsetDateTime.class)), instant(rs.getObject(13, OffsetDateTime.class)),
            reason));
      }
      return out;
    }
  }

  private static OffsetDateTime time(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
