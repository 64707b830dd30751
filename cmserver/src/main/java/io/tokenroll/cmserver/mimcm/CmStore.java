package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.cmserver.store.Database;
import io.tokenroll.cmserver.store.Documents;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CM state: templates from the configuration, and requests, cards, profiles and issued certificates in the
 * database. Read-modify-write of one request or card happens under its stripe lock, so two calls on the same
 * request cannot both move it.
 */
public final class CmStore {
  final Documents<Stored.CmRequest> requests;
  final Documents<Stored.CmSmartcard> cards;
  final Documents<Stored.CmProfile> profiles;
  final Documents<Stored.CmCertificate> certificates;
  private final Map<UUID, ProfileTemplate> templates;
  private final ReentrantLock[] stripes = new ReentrantLock[64];

  public CmStore(Database db, List<ProfileTemplate> templates) {
    this.requests = new Documents<>(db, "request", Stored.CmRequest.class);
    this.cards = new Documents<>(db, "smartcard", Stored.CmSmartcard.class);
    this.profiles = new Documents<>(db, "profile", Stored.CmProfile.class);
    this.certificates = new Documents<>(db, "certificate", Stored.CmCertificate.class);
    this.templates = templates.stream().collect(Collectors.toMap(ProfileTemplate::uuid, Function.identity(),
        (a, b) -> b, java.util.LinkedHashMap::new));
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  public List<ProfileTemplate> templates() {
    return List.copyOf(templates.values());
  }

  public ProfileTemplate template(UUID uuid) {
    return templates.get(uuid);
  }

  /** Every user's requests, for the admin list. */
  public List<Stored.CmRequest> requestsOfAllUsers() throws SQLException {
    return requests.all();
  }

  /** Runs {@code work} holding the lock of {@code id}. */
  public <T> T locked(UUID id, SqlWork<T> work) throws SQLException {
    ReentrantLock lock = stripes[Math.floorMod(id.hashCode(), stripes.length)];
    lock.lock();
    try {
      return work.run();
    } finally {
      lock.unlock();
    }
  }

  /** Work that touches the database. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** The request, or 404 when there is none; 403 when it is another user's. */
  public Stored.CmRequest ownRequest(UserAccount user, UUID id) throws SQLException {
    return ownRequestIfAny(user, id).orElseThrow(() -> HttpError.notFound("The request " + id + " does not exist."));
  }

  /** The request, or empty when there is none; 403 when it is another user's. */
  public Optional<Stored.CmRequest> ownRequestIfAny(UserAccount user, UUID id) throws SQLException {
    Optional<Stored.CmRequest> r = requests.get(id.toString());
    if (r.isPresent() && !owns(user, r.get().originator())) {
      throw HttpError.forbidden("The user " + user.name() + " does not have permission to access request " + id + ".");
    }
    return r;
  }

  /** The card, or 404 when there is none; 403 when it is another user's. */
  public Stored.CmSmartcard ownCard(UserAccount user, UUID id) throws SQLException {
    Stored.CmSmartcard c = cards.get(id.toString()).orElseThrow(() -> HttpError.notFound(
        "The smart card " + id + " does not exist."));
    if (!owns(user, c.owner())) {
      throw HttpError.forbidden("The user " + user.name() + " does not have permission to access smart card " + id
          + ".");
    }
    return c;
  }

  public Stored.CmProfile ownProfile(UserAccount user, UUID id) throws SQLException {
    Stored.CmProfile p = profiles.get(id.toString()).orElseThrow(() -> HttpError.notFound(
        "The profile " + id + " does not exist."));
    if (!owns(user, p.owner())) {
      throw HttpError.forbidden("The user " + user.name() + " does not have permission to access profile " + id
          + ".");
    }
    return p;
  }

  static boolean owns(UserAccount user, String owner) {
    return owner != null && owner.toLowerCase(Locale.ROOT).equals(user.name().toLowerCase(Locale.ROOT));
  }

  public void save(Stored.CmRequest r) throws SQLException {
    requests.put(r.uuid().toString(), r.originator().toLowerCase(Locale.ROOT), Integer.toString(r.status()), r);
  }

  public void save(Stored.CmSmartcard c) throws SQLException {
    cards.put(c.uuid().toString(), c.owner().toLowerCase(Locale.ROOT), c.cardId().toLowerCase(Locale.ROOT), c);
  }

  public void save(Stored.CmProfile p) throws SQLException {
    profiles.put(p.uuid().toString(), p.owner().toLowerCase(Locale.ROOT), p.requestUuid().toString(), p);
  }

  public void save(Stored.CmCertificate c) throws SQLException {
    certificates.put(c.serial(), c.owner().toLowerCase(Locale.ROOT), c.requestUuid().toString(), c);
  }
}
