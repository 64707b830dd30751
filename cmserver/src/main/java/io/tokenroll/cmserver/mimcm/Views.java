package io.tokenroll.cmserver.mimcm;

import io.tokenroll.cmserver.ca.CaHierarchy;
import io.tokenroll.protocol.mimcm.ProfileStatus;
import io.tokenroll.protocol.mimcm.RequestFlagBits;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Turns stored CM state and templates into MIM's wire shapes. */
final class Views {
  private static final UUID EMPTY = new UUID(0, 0);
  /** Observed in MIM's request example; its meaning is undocumented. */
  private static final int DATA_COLLECTION_FLAGS = 32;
  /** An SDDL like MIM's, with the trailing NUL its examples show. */
  private static final String SECURITY_DESCRIPTOR = "O:SYG:SYD:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)\u0000";
  private static final List<String> CARD_OPERATIONS = List.of("onlineupdate", "renew", "recover", "retire",
      "revoke", "unblock");
  private static final List<String> PROFILE_OPERATIONS = List.of("renew", "disable", "recover", "revoke");

  private Views() {
  }

  static Wire.ProfileTemplateView template(ProfileTemplate t) {
    return new Wire.ProfileTemplateView(t.name(), t.description(), t.uuid(), t.smartcard(), t.virtualSmartcard());
  }

  static Wire.RequestView request(Stored.CmRequest r, ProfileTemplate template) {
    List<Wire.DataValue> data = new ArrayList<>();
    r.dataCollection().forEach(v -> data.add(new Wire.DataValue(v.name(), v.value())));
    boolean complete = true;
    WorkflowPolicy policy = template == null ? null
        : template.policy(RequestType.parse(Integer.toString(r.requestType())));
    if (policy != null) {
      for (DataItem item : policy.dataCollection()) {
        boolean given = data.stream().anyMatch(d -> d.name().equalsIgnoreCase(item.name()) && d.value() != null);
        if (!given && data.stream().noneMatch(d -> d.name().equalsIgnoreCase(item.name()))) {
          data.add(new Wire.DataValue(item.name(), null));
        }
        complete &= given || !item.required();
      }
    }
    return new Wire.RequestView(r.uuid(), r.requestType(), r.status(),
        r.smartcard() ? RequestFlagBits.SMARTCARD : RequestFlagBits.NONE, data, DATA_COLLECTION_FLAGS,
        r.originatorUuid(), r.targetUuid(), r.submitted(), r.completed(), r.newProfileUuid(), r.oldProfileUuid(),
        r.newSmartcardUuid(), r.oldSmartcardUuid(), r.priority(), r.comment(), r.profileTemplateUuid(),
        SECURITY_DESCRIPTOR, r.smartcard(), false, complete);
  }

  static Wire.SmartcardView smartcard(Stored.CmSmartcard c) {
    return new Wire.SmartcardView(c.uuid(), c.status(), 1, EMPTY, c.uuid(), EMPTY, c.ownerUuid(),
        c.profileTemplateUuid(), 1, c.comment(), "{" + c.cardId() + "}", "MSBaseCSP", c.atr());
  }

  static Wire.ProfileView profile(Stored.CmProfile p, ProfileTemplate template) {
    return new Wire.ProfileView(p.uuid(), p.status(), 0, EMPTY, p.uuid(), p.ownerUuid(), p.profileTemplateUuid(), 1,
        p.comment(), profileOperations(p, template));
  }

  static List<String> cardOperations(Stored.CmSmartcard c, ProfileTemplate template) {
    if (c.status() != SmartcardStatus.ACTIVE.code() || template == null) {
      return List.of();
    }
    return CARD_OPERATIONS.stream().filter(op -> offered(template, op)).toList();
  }

  static List<String> profileOperations(Stored.CmProfile p, ProfileTemplate template) {
    if (p.status() != ProfileStatus.ACTIVE.code() || template == null) {
      return List.of();
    }
    return PROFILE_OPERATIONS.stream().filter(op -> offered(template, op)).toList();
  }

  private static boolean offered(ProfileTemplate template, String operation) {
    return template.policies().keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(operation));
  }

  static Wire.PolicyView policy(WorkflowPolicy p) {
    String everyone = "O:SYG:SYD:(A;;CCRP;;;AU)";
    return new Wire.PolicyView(p.approvalsNeeded(), "O:SYG:SYD:(A;;CCRP;;;BA)", everyone, everyone,
        p.collectComments(), p.collectRequestPriority(), p.defaultRequestPriority(), List.of(), true, false, null,
        null, p.dataCollection().stream().map(d -> new Wire.DataItemView(d.name(), d.description(), d.required()))
            .toList(), p.selfServiceEnabled());
  }

  static Wire.SmartcardConfigView smartcardConfig(SmartcardSettings s) {
    return new Wire.SmartcardConfigView(null, true, null, 0, "", s.defaultAdminKeyHex(), s.diversifyAdminKey(),
        false, false, s.maxNumberOfCertificates(), s.userPinOption().code(), null);
  }

  static Wire.ClmCertificateView certificate(Stored.CmCertificate c) {
    X509Certificate cert = parse(c);
    return new Wire.ClmCertificateView(c.keyHistory(), c.archivedKey() != null, 1, c.templateCommonName(),
        c.serial(), thumbprint(cert));
  }

  static Wire.UserCertificateView userCertificate(Stored.CmCertificate c, String caConfig) {
    X509Certificate cert = parse(c);
    return new Wire.UserCertificateView(c.keyHistory(), c.archivedKey() != null, 1, c.templateCommonName(),
        c.serial(), thumbprint(cert), MimTime.local(cert.getNotAfter().toInstant()),
        MimTime.local(cert.getNotBefore().toInstant()), caConfig, "TOKENROLL\\" + c.owner(), 0);
  }

  private static X509Certificate parse(Stored.CmCertificate c) {
    try {
      return CaHierarchy.certificate(Base64.getDecoder().decode(c.certificate()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored certificate " + c.serial() + " does not parse", e);
    }
  }

  /** Windows' thumbprint: the SHA-1 of the DER, upper-case hex. */
  static String thumbprint(X509Certificate cert) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
