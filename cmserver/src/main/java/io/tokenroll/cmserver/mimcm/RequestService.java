package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.ca.CertificateAuthority;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.mimcm.ProfileStatus;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The request lifecycle (reference §1.6): created Pending when the workflow policy needs approvals, else Approved;
 * Executing while certificatedata runs; Completed, Canceled or Abandoned by the client's PUT; Approved or Denied
 * by a CM manager on the admin path. Completing a request applies it to the card or profile.
 */
public final class RequestService {
  /** A parsed POST requests body. */
  public record NewRequest(RequestType type, UUID profileTemplateUuid, UUID smartcard, UUID target,
      List<Stored.NameValue> dataCollection, String comment, Integer priority) {
  }

  private static final UUID EMPTY = new UUID(0, 0);

  private final CmStore store;
  private final CertificateAuthority ca;

  public RequestService(CmStore store, CertificateAuthority ca) {
    this.store = store;
    this.ca = ca;
  }

  public Stored.CmRequest create(UserAccount user, NewRequest in) throws SQLException {
    if (in.target() != null && !in.target().equals(user.uuid())) {
      throw HttpError.forbidden("Only the current user is supported as the target of a request.");
    }
    Stored.CmSmartcard card = in.smartcard() == null ? null : store.ownCard(user, in.smartcard());
    UUID templateUuid = in.profileTemplateUuid() != null ? in.profileTemplateUuid()
        : card != null ? card.profileTemplateUuid() : null;
    if (templateUuid == null) {
      throw HttpError.badRequest("The request is invalid. 'profiletemplateuuid' is required.");
    }
    ProfileTemplate template = store.template(templateUuid);
    if (template == null) {
      throw HttpError.forbidden("The profile template " + templateUuid + " does not exist or you cannot enroll for it.");
    }
    WorkflowPolicy policy = template.policy(in.type());
    if (policy == null) {
      throw HttpError.forbidden("The " + in.type().wireName() + " workflow is not enabled on profile template '"
          + template.name() + "'.");
    }
    boolean cardScoped = in.type() != RequestType.ENROLL && in.type() != RequestType.TEMPORARY_CARDS;
    if (cardScoped && template.smartcard() && card == null) {
      throw HttpError.badRequest("The request is invalid. A " + in.type().wireName()
          + " request needs the 'smartcard' it applies to.");
    }
    if (card != null && !card.profileTemplateUuid().equals(templateUuid)) {
      throw HttpError.badRequest("The request is invalid. The smart card belongs to another profile template.");
    }
    int priority = in.priority() == null ? policy.defaultRequestPriority() : in.priority();
    boolean keepsCard = in.type() != RequestType.RECOVER && in.type() != RequestType.DUPLICATE;
    int status = policy.approvalsNeeded() > 0 ? RequestStatus.PENDING.code() : RequestStatus.APPROVED.code();
    Stored.CmRequest r = new Stored.CmRequest(UUID.randomUUID(), in.type().code(), status, template.smartcard(),
        in.dataCollection(), user.name(), user.uuid(), user.uuid(), MimTime.now(), MimTime.NEVER, EMPTY, EMPTY,
        card != null && keepsCard ? card.uuid() : EMPTY, card != null ? card.uuid() : EMPTY, priority,
        in.comment() == null ? "" : in.comment(), templateUuid, 0, null);
    store.save(r);
    return r;
  }

  /** The client's PUT: Completed, Canceled or Abandoned. */
  public Stored.CmRequest updateStatus(UserAccount user, UUID id, String wanted) throws SQLException {
    RequestStatus target = switch (wanted == null ? "" : wanted.toLowerCase(Locale.ROOT)) {
      case "completed" -> RequestStatus.COMPLETED;
      case "canceled", "cancelled" -> RequestStatus.CANCELED;
      case "abandoned" -> RequestStatus.ABANDONED;
      default -> throw HttpError.badRequest("The request is invalid. 'status' must be Completed, Canceled or "
          + "Abandoned.");
    };
    return store.locked(id, () -> {
      Stored.CmRequest r = store.ownRequest(user, id);
      RequestStatus now = status(r);
      boolean allowed = switch (target) {
        case COMPLETED -> now == RequestStatus.APPROVED || now == RequestStatus.EXECUTING;
        case CANCELED -> now == RequestStatus.PENDING || now == RequestStatus.APPROVED;
        default -> now == RequestStatus.APPROVED || now == RequestStatus.EXECUTING;
      };
      if (!allowed) {
        throw HttpError.forbidden("The request " + id + " is " + now.wireName() + " and cannot become "
            + target.wireName() + ".");
      }
      Stored.CmRequest done = target == RequestStatus.COMPLETED ? complete(r) : r.withStatus(target.code());
      store.save(done);
      return done;
    });
  }

  /** Applies a completed request: cards become Active or Retired, software enrollments get a profile. */
  private Stored.CmRequest complete(Stored.CmRequest r) throws SQLException {
    RequestType type = RequestType.parse(Integer.toString(r.requestType()));
    UUID profile = r.newProfileUuid();
    if (!r.smartcard() && (type == RequestType.ENROLL || type == RequestType.RENEW || type == RequestType.RECOVER)) {
      Stored.CmProfile p = new Stored.CmProfile(UUID.randomUUID(), ProfileStatus.ACTIVE.code(), r.originator(),
          r.originatorUuid(), r.profileTemplateUuid(), r.uuid(), r.comment());
      store.save(p);
      profile = p.uuid();
    }
    if (!EMPTY.equals(r.newSmartcardUuid())) {
      var card = store.cards.get(r.newSmartcardUuid().toString());
      if (card.isPresent()) {
        int cardStatus = switch (type) {
          case RETIRE -> SmartcardStatus.RETIRED.code();
          case REVOKE, DISABLE -> SmartcardStatus.DISABLED.code();
          default -> SmartcardStatus.ACTIVE.code();
        };
        store.save(card.get().withStatus(cardStatus));
      }
    }
    if (type == RequestType.RECOVER && !EMPTY.equals(r.oldSmartcardUuid())) {
      store.cards.get(r.oldSmartcardUuid().toString())
          .ifPresent(c -> saveQuietly(c.withStatus(SmartcardStatus.DISABLED.code())));
    }
    if (type == RequestType.REVOKE) {
      revokeCertificatesOf(r);
    }
    return r.completed(RequestStatus.COMPLETED.code(), MimTime.now(), profile);
  }

  private void saveQuietly(Stored.CmSmartcard c) {
    try {
      store.save(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A completed Revoke revokes the certificates issued for the card's earlier requests. */
  private void revokeCertificatesOf(Stored.CmRequest revoke) throws SQLException {
    for (Stored.CmCertificate c : store.certificates.byOwner(revoke.originator().toLowerCase(Locale.ROOT))) {
      var issuedFor = store.requests.get(c.requestUuid().toString());
      if (issuedFor.isPresent() && revoke.oldSmartcardUuid().equals(issuedFor.get().newSmartcardUuid())) {
        try {
          ca.revoke(new BigInteger(c.serial(), 16), 0);
        } catch (CertSrvException e) {
          // Already revoked or unknown to the CA: nothing more to revoke.
        }
      }
    }
  }

  /** A CM manager's approval: counts towards the policy's ApprovalsNeeded; the last one makes it Approved. */
  public Stored.CmRequest approve(UUID id) throws SQLException {
    return store.locked(id, () -> {
      Stored.CmRequest r = store.requests.get(id.toString()).orElseThrow(() -> HttpError.notFound(
          "The request " + id + " does not exist."));
      if (status(r) != RequestStatus.PENDING) {
        throw HttpError.forbidden("The request " + id + " is " + status(r).wireName() + ", not Pending.");
      }
      WorkflowPolicy policy = store.template(r.profileTemplateUuid())
          .policy(RequestType.parse(Integer.toString(r.requestType())));
      int approvals = r.approvals() + 1;
      int status = approvals >= policy.approvalsNeeded() ? RequestStatus.APPROVED.code() : r.status();
      Stored.CmRequest done = r.withApprovals(approvals, status, null);
      store.save(done);
      return done;
    });
  }

  /** A CM manager's denial: final. */
  public Stored.CmRequest deny(UUID id, String reason) throws SQLException {
    return store.locked(id, () -> {
      Stored.CmRequest r = store.requests.get(id.toString()).orElseThrow(() -> HttpError.notFound(
          "The request " + id + " does not exist."));
      if (status(r) != RequestStatus.PENDING) {
        throw HttpError.forbidden("The request " + id + " is " + status(r).wireName() + ", not Pending.");
      }
      Stored.CmRequest done = r.withApprovals(r.approvals(), RequestStatus.DENIED.code(), reason);
      store.save(done);
      return done;
    });
  }

  public static RequestStatus status(Stored.CmRequest r) {
    return io.tokenroll.protocol.mimcm.MimEnum.parse(RequestStatus.class, r.status());
  }
}
