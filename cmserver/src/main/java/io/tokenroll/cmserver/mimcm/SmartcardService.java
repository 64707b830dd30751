package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.UserAccount;
import io.tokenroll.cmserver.ca.Keys;
import io.tokenroll.cmserver.http.HttpError;
import io.tokenroll.protocol.mimcm.MimEnum;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import io.tokenroll.protocol.mimcm.UserPinOption;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The smart card side of a request: binding a physical card, the per-card diversified admin key, the 3DES answer
 * to a card's admin challenge, the server-proposed PIN, and status updates.
 */
public final class SmartcardService {
  private static final UUID EMPTY = new UUID(0, 0);

  private final CmStore store;

  public SmartcardService(CmStore store) {
    this.store = store;
  }

  /** POST smartcards: a new CM card object for {@code cardId}, bound to the request, status Assigned. */
  public Stored.CmSmartcard bind(UserAccount user, UUID requestId, String cardId, String atr) throws SQLException {
    if (cardId == null || cardId.isBlank()) {
      throw HttpError.badRequest("The request is invalid. 'cardid' is required.");
    }
    if (atr != null && !atr.matches("(?i)[0-9a-f]*")) {
      throw HttpError.badRequest("The request is invalid. 'atr' must be hexadecimal.");
    }
    return store.locked(requestId, () -> {
      Stored.CmRequest r = store.ownRequest(user, requestId);
      if (!r.smartcard()) {
        throw HttpError.forbidden("The request " + requestId + " is not for a smart card profile template.");
      }
      RequestStatus status = RequestService.status(r);
      if (status != RequestStatus.APPROVED && status != RequestStatus.EXECUTING) {
        throw HttpError.forbidden("The request " + requestId + " is " + status.wireName() + ", not Approved.");
      }
      if (!EMPTY.equals(r.newSmartcardUuid())) {
        throw HttpError.forbidden("The request " + requestId + " is already bound to smart card "
            + r.newSmartcardUuid() + ".");
      }
      String id = cardId.trim().replaceAll("^\\{|}$", "").toLowerCase(Locale.ROOT);
      Stored.CmSmartcard card = new Stored.CmSmartcard(UUID.randomUUID(), id, atr == null ? "" : atr.toLowerCase(
          Locale.ROOT), SmartcardStatus.ASSIGNED.code(), r.originator(), r.originatorUuid(),
          r.profileTemplateUuid(), r.uuid(), "", null, null);
      store.save(card);
      store.save(r.withSmartcard(card.uuid()));
      return card;
    });
  }

  /** The card a request-scoped route names, which must be the one bound to (or acted on by) the request. */
  public Stored.CmSmartcard cardOfRequest(UserAccount user, UUID requestId, UUID cardUuid) throws SQLException {
    Stored.CmRequest r = store.ownRequest(user, requestId);
    Stored.CmSmartcard c = store.ownCard(user, cardUuid);
    if (!cardUuid.equals(r.newSmartcardUuid()) && !cardUuid.equals(r.oldSmartcardUuid())) {
      throw HttpError.forbidden("The smart card " + cardUuid + " is not bound to request " + requestId + ".");
    }
    return c;
  }

  private static void checkCardId(Stored.CmSmartcard c, String cardId) {
    if (cardId == null || !cardId.replaceAll("^\\{|}$", "").equalsIgnoreCase(c.cardId())) {
      throw HttpError.forbidden("The card id does not match smart card " + c.uuid() + ".");
    }
  }

  /** The card's diversified admin key (24 bytes), made on first use and kept. */
  public byte[] diversifiedKey(UserAccount user, UUID requestId, UUID cardUuid, String cardId) throws SQLException {
    return store.locked(cardUuid, () -> {
      Stored.CmSmartcard c = cardOfRequest(user, requestId, cardUuid);
      checkCardId(c, cardId);
      if (!template(c).smartcardSettings().diversifyAdminKey()) {
        throw HttpError.forbidden("The profile template does not diversify the admin key.");
      }
      if (c.diversifiedKeyHex() == null) {
        byte[] key = new byte[24];
        Keys.random().nextBytes(key);
        c = c.withDiversifiedKey(HexFormat.of().formatHex(key));
        store.save(c);
      }
      return HexFormat.of().parseHex(c.diversifiedKeyHex());
    });
  }

  /**
   * 3DES (ECB, one block; CBC with a zero IV is the same) of the 8-byte challenge under the chosen admin key, as MIM
   * computes it. A 16-byte challenge — a card whose management key is AES, as YubiKey 5.7's default — gets AES-192
   * under the same 24 bytes: an extension of this server (MIM answers 3DES only), so such cards can be tested.
   */
  public byte[] authenticationResponse(UserAccount user, UUID requestId, UUID cardUuid, String cardId,
      String challengeBase64, boolean diversified) throws SQLException {
    Stored.CmSmartcard c = cardOfRequest(user, requestId, cardUuid);
    checkCardId(c, cardId);
    byte[] challenge;
    try {
      challenge = Base64.getDecoder().decode(challengeBase64 == null ? "" : challengeBase64.trim());
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("The request is invalid. 'challenge' is not valid base64.");
    }
    if (challenge.length != 8 && challenge.length != 16) {
      throw HttpError.badRequest("The request is invalid. 'challenge' must be 8 bytes (3DES) or 16 (AES).");
    }
    byte[] key;
    if (diversified) {
      if (c.diversifiedKeyHex() == null) {
        throw HttpError.forbidden("No diversified admin key has been issued for smart card " + cardUuid + ".");
      }
      key = HexFormat.of().parseHex(c.diversifiedKeyHex());
    } else {
      key = template(c).smartcardSettings().defaultAdminKey();
    }
    try {
      String cipher = challenge.length == 8 ? "DESede" : "AES";
      Cipher admin = Cipher.getInstance(cipher + "/ECB/NoPadding");
      admin.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, cipher));
      return admin.doFinal(challenge);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the admin key's cipher is not available", e);
    }
  }

  /** The PIN the server proposes for the card, or null when the template lets the user choose it. */
  public String proposedPin(UserAccount user, UUID requestId, UUID cardUuid, String cardId) throws SQLException {
    return store.locked(cardUuid, () -> {
      Stored.CmSmartcard c = requestId == null ? store.ownCard(user, cardUuid)
          : cardOfRequest(user, requestId, cardUuid);
      if (cardId != null) {
        checkCardId(c, cardId);
      }
      UserPinOption option = template(c).smartcardSettings().userPinOption();
      if (!option.serverProposed()) {
        return null;
      }
      // Randomized: a new PIN each time, never stored; the distributed options keep the one they proposed.
      if (option == UserPinOption.RANDOMIZED || c.proposedPin() == null) {
        String pin = String.format("%08d", Keys.random().nextInt(100_000_000));
        if (option != UserPinOption.RANDOMIZED) {
          store.save(c.withProposedPin(pin));
        }
        return pin;
      }
      return c.proposedPin();
    });
  }

  /** PUT requests/{r}/smartcards/{c} with {@code {"status": "Retired"}} and the like. */
  public Stored.CmSmartcard updateStatus(UserAccount user, UUID requestId, UUID cardUuid, String status)
      throws SQLException {
    SmartcardStatus target = MimEnum.parse(SmartcardStatus.class, status);
    if (target == null || target == SmartcardStatus.NONE) {
      throw HttpError.badRequest("The request is invalid. 'status' is not a smart card status.");
    }
    return store.locked(cardUuid, () -> {
      Stored.CmSmartcard c = cardOfRequest(user, requestId, cardUuid).withStatus(target.code());
      store.save(c);
      return c;
    });
  }

  private ProfileTemplate template(Stored.CmSmartcard c) {
    ProfileTemplate t = store.template(c.profileTemplateUuid());
    if (t == null || t.smartcardSettings() == null) {
      throw HttpError.forbidden("The smart card's profile template is no longer configured.");
    }
    return t;
  }
}
