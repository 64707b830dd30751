package io.tokenroll.cmserver.mimcm;

import java.util.List;
import java.util.UUID;

/**
 * The CM state as kept in the database (camel-case JSON documents, see {@code Documents}). The wire shapes MIM
 * clients see are in {@link Wire}; these hold what the server needs besides, such as the owning user's name.
 */
public final class Stored {
  private Stored() {
  }

  /** A data-collection value of a request. */
  public record NameValue(String name, String value) {
  }

  /**
   * A CM request. {@code status} and {@code requestType} are RequestStatus / RequestType codes; times are MIM
   * timestamps ({@link MimTime}); {@code approvals} counts CM-manager approvals so far.
   */
  public record CmRequest(UUID uuid, int requestType, int status, boolean smartcard, List<NameValue> dataCollection,
      String originator, UUID originatorUuid, UUID targetUuid, String submitted, String completed,
      UUID newProfileUuid, UUID oldProfileUuid, UUID newSmartcardUuid, UUID oldSmartcardUuid, int priority,
      String comment, UUID profileTemplateUuid, int approvals, String denialReason) {

    public CmRequest withStatus(int newStatus) {
      return new CmRequest(uuid, requestType, newStatus, smartcard, dataCollection, originator, originatorUuid,
          targetUuid, submitted, completed, newProfileUuid, oldProfileUuid, newSmartcardUuid, oldSmartcardUuid,
          priority, comment, profileTemplateUuid, approvals, denialReason);
    }

    public CmRequest withApprovals(int count, int newStatus, String reason) {
      return new CmRequest(uuid, requestType, newStatus, smartcard, dataCollection, originator, originatorUuid,
          targetUuid, submitted, completed, newProfileUuid, oldProfileUuid, newSmartcardUuid, oldSmartcardUuid,
          priority, comment, profileTemplateUuid, count, reason);
    }

    public CmRequest withSmartcard(UUID card) {
      return new CmRequest(uuid, requestType, status, smartcard, dataCollection, originator, originatorUuid,
          targetUuid, submitted, completed, newProfileUuid, oldProfileUuid, card, oldSmartcardUuid, priority,
          comment, profileTemplateUuid, approvals, denialReason);
    }

    public CmRequest completed(int newStatus, String when, UUID profile) {
      return new CmRequest(uuid, requestType, newStatus, smartcard, dataCollection, originator, originatorUuid,
          targetUuid, submitted, when, profile, oldProfileUuid, newSmartcardUuid, oldSmartcardUuid, priority,
          comment, profileTemplateUuid, approvals, denialReason);
    }
  }

  /** A CM smart card object bound to a physical card ({@code cardId}); status is a SmartcardStatus code. */
  public record CmSmartcard(UUID uuid, String cardId, String atr, int status, String owner, UUID ownerUuid,
      UUID profileTemplateUuid, UUID requestUuid, String comment, String diversifiedKeyHex, String proposedPin) {

    public CmSmartcard withStatus(int newStatus) {
      return new CmSmartcard(uuid, cardId, atr, newStatus, owner, ownerUuid, profileTemplateUuid, requestUuid,
          comment, diversifiedKeyHex, proposedPin);
    }

    public CmSmartcard withDiversifiedKey(String hex) {
      return new CmSmartcard(uuid, cardId, atr, status, owner, ownerUuid, profileTemplateUuid, requestUuid, comment,
          hex, proposedPin);
    }

    public CmSmartcard withProposedPin(String pin) {
      return new CmSmartcard(uuid, cardId, atr, status, owner, ownerUuid, profileTemplateUuid, requestUuid, comment,
          diversifiedKeyHex, pin);
    }
  }

  /** A software profile, made when a non-smart-card Enroll request completes; status is a ProfileStatus code. */
  public record CmProfile(UUID uuid, int status, String owner, UUID ownerUuid, UUID profileTemplateUuid,
      UUID requestUuid, String comment) {

    public CmProfile withStatus(int newStatus) {
      return new CmProfile(uuid, newStatus, owner, ownerUuid, profileTemplateUuid, requestUuid, comment);
    }
  }

  /**
   * A certificate CM issued for a request, linked to the card or profile it belongs to once the request completes.
   * {@code archivedKey} is the PKCS#8 (base64) of a server-generated key kept for key recovery, else null.
   */
  public record CmCertificate(String serial, String owner, UUID requestUuid, UUID profileTemplateUuid,
      String templateCommonName, String certificate, String archivedKey, boolean keyHistory) {
  }
}
