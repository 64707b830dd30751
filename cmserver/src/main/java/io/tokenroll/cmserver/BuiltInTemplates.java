package io.tokenroll.cmserver;

import io.tokenroll.cmserver.ca.CertTemplate;
import io.tokenroll.cmserver.ca.Issuance;
import io.tokenroll.cmserver.mimcm.CertificateEntry;
import io.tokenroll.cmserver.mimcm.DataItem;
import io.tokenroll.cmserver.mimcm.ProfileTemplate;
import io.tokenroll.cmserver.mimcm.SmartcardSettings;
import io.tokenroll.cmserver.mimcm.WorkflowPolicy;
import io.tokenroll.protocol.certsrv.HResult;
import io.tokenroll.protocol.mimcm.EnrollKeyUsages;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.UserPinOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The templates cmserver runs with when the configuration names none. Their UUIDs and names are stable: agent
 * tests and the demo refer to them (docs/cmserver.md lists them).
 */
public final class BuiltInTemplates {
  public static final UUID SMART_CARD_LOGON = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000001");
  public static final UUID SMART_CARD_LOGON_EC = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000002");
  public static final UUID SMART_CARD_LOGON_WITH_APPROVAL = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000003");
  public static final UUID SMART_CARD_WITH_KEY_RECOVERY = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000004");
  public static final UUID DENIED_BY_CA = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000005");
  public static final UUID VIRTUAL_SMART_CARD = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000006");
  public static final UUID SOFTWARE_USER = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000007");
  public static final UUID SMART_CARD_LOGON_SHA1 = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000008");
  public static final UUID SMART_CARD_SIGNING_AND_ENCRYPTION =
      UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-000000000009");
  public static final UUID SMART_CARD_EC_SIGNING_AND_KEY_AGREEMENT =
      UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-00000000000a");
  public static final UUID SMART_CARD_SERVER_PIN = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-00000000000b");
  public static final UUID SMART_CARD_RANDOM_PIN = UUID.fromString("7c3f2a10-8d4e-4b6a-9f21-00000000000c");

  /** CA template names (the {@code CertificateTemplate:} attribute and TemplateCommonName). */
  public static final String CA_SMARTCARD_LOGON = "SmartcardLogon";
  public static final String CA_SMARTCARD_SIGNATURE = "SmartcardSignature";
  public static final String CA_KEY_RECOVERY_ENCRYPTION = "KeyRecoveryEncryption";
  public static final String CA_TEMPLATE_DENIED = "TemplateDenied";
  public static final String CA_MANAGER_APPROVAL = "ManagerApproval";
  public static final String CA_USER = "User";
  public static final String CA_WEB_SERVER = "WebServer";
  public static final String CA_SMARTCARD_ENCRYPTION = "SmartcardEncryption";

  private static final String OID_ARC = "1.3.6.1.4.1.311.21.8.7638725.1.";
  private static final List<String> SIGN_AND_ENCRYPT = List.of("digitalSignature", "keyEncipherment");

  private BuiltInTemplates() {
  }

  public static List<CertTemplate> certificateTemplates() {
    List<String> logon = List.of("smartcardLogon", "clientAuth");
    return List.of(
        new CertTemplate(CA_SMARTCARD_LOGON, OID_ARC + 1, logon, SIGN_AND_ENCRYPT, 365, 2048, null,
            Issuance.ISSUE, 0, false),
        new CertTemplate(CA_SMARTCARD_SIGNATURE, OID_ARC + 2, List.of("clientAuth", "emailProtection"),
            List.of("digitalSignature", "nonRepudiation"), 365, 2048, null, Issuance.ISSUE, 0, false)
            ,
        new CertTemplate(CA_KEY_RECOVERY_ENCRYPTION, OID_ARC + 3, List.of("emailProtection", "efs"),
            List.of("keyEncipherment"), 365, 2048, List.of("RSA"), Issuance.ISSUE, 0, false),
        new CertTemplate(CA_TEMPLATE_DENIED, OID_ARC + 4, logon, SIGN_AND_ENCRYPT, 365, 2048, null, Issuance.DENY,
            HResult.CERTSRV_E_TEMPLATE_DENIED, false),
        new CertTemplate(CA_MANAGER_APPROVAL, OID_ARC + 5, logon, SIGN_AND_ENCRYPT, 365, 2048, null, Issuance.PEND,
            0, false),
        new CertTemplate(CA_USER, OID_ARC + 6, List.of("clientAuth", "emailProtection", "efs"), SIGN_AND_ENCRYPT,
            365, 2048, null, Issuance.ISSUE, 0, false),
        new CertTemplate(CA_WEB_SERVER, OID_ARC + 7, List.of("serverAuth"), SIGN_AND_ENCRYPT, 365, 2048, null,
            Issuance.ISSUE, 0, true),
        // encryption only: keyEncipherment for RSA, keyAgreement for EC (as AD CS maps it)
        new CertTemplate(CA_SMARTCARD_ENCRYPTION, OID_ARC + 8, List.of("emailProtection", "efs"),
            List.of("keyEncipherment"), 365, 2048, null, Issuance.ISSUE, 0, false));
  }

  public static List<ProfileTemplate> profileTemplates() {
    int signing = EnrollKeyUsages.SIGNING;
    CertificateEntry logonRsa = CertificateEntry.clientKey(CA_SMARTCARD_LOGON, "Smart Card Logon", "RSA", 2048,
        "SHA256", signing);
    CertificateEntry logonEc = CertificateEntry.clientKey(CA_SMARTCARD_LOGON, "Smart Card Logon EC", "ECDSA_P256",
        256, "SHA256", signing);
    return List.of(
        smartcard(SMART_CARD_LOGON, "Smart Card Logon", "Smart card logon certificate, RSA 2048, issued at once.",
            cardWorkflows(0), List.of(logonRsa)),
        smartcard(SMART_CARD_LOGON_EC, "Smart Card Logon EC", "Smart card logon certificate on a P-256 key.",
            cardWorkflows(0), List.of(logonEc)),
        smartcard(SMART_CARD_LOGON_WITH_APPROVAL, "Smart Card Logon with Approval",
            "Enrollment waits for one approval by a CM manager.", approvalWorkflows(), List.of(logonRsa)),
        smartcard(SMART_CARD_WITH_KEY_RECOVERY, "Smart Card with Key Recovery",
            "A signing key made on the card and a server-generated, archived encryption key returned as a PFX.",
            cardWorkflows(0), List.of(
                CertificateEntry.clientKey(CA_SMARTCARD_SIGNATURE, "Signature", "RSA", 2048, "SHA256", signing),
                new CertificateEntry(CA_KEY_RECOVERY_ENCRYPTION, "Encryption (recoverable)", "", "RSA", 2048,
                    "SHA256", List.of(), 1, 0, EnrollKeyUsages.DECRYPTION, true, true, false))),
        smartcard(DENIED_BY_CA, "Denied by CA",
            "Two certificates; the CA denies the second (CERTSRV_E_TEMPLATE_DENIED), the first is issued.",
            cardWorkflows(0), List.of(logonRsa, CertificateEntry.clientKey(CA_TEMPLATE_DENIED, "Denied", "RSA", 2048,
                "SHA256", signing))),
        new ProfileTemplate(VIRTUAL_SMART_CARD, "Virtual Smart Card",
            "TPM virtual smart card with a diversified admin key and a server-proposed PIN.", true, true,
            new SmartcardSettings(SmartcardSettings.DEFAULT_ADMIN_KEY, true, UserPinOption.SERVER_DISTRIBUTED, 0),
            cardWorkflows(0), List.of(logonRsa)),
        new ProfileTemplate(SOFTWARE_USER, "Software User Certificate",
            "A software certificate (not on a smart card) for client authentication and e-mail.", false, false,
            null, softwareWorkflows(), List.of(CertificateEntry.clientKey(CA_USER, "User", "RSA", 2048, "SHA256",
                EnrollKeyUsages.DECRYPTION | signing))),
        smartcard(SMART_CARD_LOGON_SHA1, "Smart Card Logon SHA1",
            "Like MIM's documented example: RSA 2048, CSR signed with SHA-1, KeyUsages 3.", cardWorkflows(0),
            List.of(new CertificateEntry(CA_SMARTCARD_LOGON, "", "", "RSA", 2048, "SHA1",
                List.of("Contoso Smart Card Key Storage Provider"), 0, 0, 3, false, false, false))),
        smartcard(SMART_CARD_SIGNING_AND_ENCRYPTION, "Smart Card Signing and Encryption",
            "The classic two-key card: an RSA signing key (KeyUsages 2) and an RSA encryption key (KeyUsages 1), "
                + "both made on the card.", cardWorkflows(0), List.of(
                CertificateEntry.clientKey(CA_SMARTCARD_SIGNATURE, "Signature", "RSA", 2048, "SHA256", signing),
                CertificateEntry.clientKey(CA_SMARTCARD_ENCRYPTION, "Encryption", "RSA", 2048, "SHA256",
                    EnrollKeyUsages.DECRYPTION))),
        smartcard(SMART_CARD_EC_SIGNING_AND_KEY_AGREEMENT, "Smart Card EC Signing and Key Agreement",
            "A P-256 signing key (ECDSA_P256, KeyUsages 2) and a P-256 key-agreement key (ECDH_P256, KeyUsages 4).",
            cardWorkflows(0), List.of(
                CertificateEntry.clientKey(CA_SMARTCARD_SIGNATURE, "Signature", "ECDSA_P256", 256, "SHA256", signing),
                CertificateEntry.clientKey(CA_SMARTCARD_ENCRYPTION, "Key agreement", "ECDH_P256", 256, "SHA256",
                    EnrollKeyUsages.KEY_AGREEMENT))),
        new ProfileTemplate(SMART_CARD_SERVER_PIN, "Smart Card Logon with Server PIN",
            "The server proposes the user PIN and keeps it (UserPinOption ServerDistributed).", true, false,
            new SmartcardSettings(SmartcardSettings.DEFAULT_ADMIN_KEY, false, UserPinOption.SERVER_DISTRIBUTED, 0),
            cardWorkflows(0), List.of(logonEc)),
        new ProfileTemplate(SMART_CARD_RANDOM_PIN, "Smart Card Logon with Random PIN",
            "The server proposes a random user PIN and does not keep it (UserPinOption Randomized).", true, false,
            new SmartcardSettings(SmartcardSettings.DEFAULT_ADMIN_KEY, false, UserPinOption.RANDOMIZED, 0),
            cardWorkflows(0), List.of(logonEc)));
  }

  private static ProfileTemplate smartcard(UUID uuid, String name, String description,
      Map<String, WorkflowPolicy> policies, List<CertificateEntry> certificates) {
    return new ProfileTemplate(uuid, name, description, true, false, SmartcardSettings.standard(), policies,
        certificates);
  }

  private static Map<String, WorkflowPolicy> cardWorkflows(int enrollApprovals) {
    Map<String, WorkflowPolicy> m = new LinkedHashMap<>();
    m.put(RequestType.ENROLL.wireName(), WorkflowPolicy.selfService(enrollApprovals));
    for (RequestType t : List.of(RequestType.DUPLICATE, RequestType.ONLINE_UPDATE, RequestType.RENEW,
        RequestType.RECOVER, RequestType.RETIRE, RequestType.REVOKE, RequestType.UNBLOCK)) {
      m.put(t.wireName(), WorkflowPolicy.selfService(0));
    }
    return m;
  }

  private static Map<String, WorkflowPolicy> approvalWorkflows() {
    Map<String, WorkflowPolicy> m = cardWorkflows(0);
    m.put(RequestType.ENROLL.wireName(), new WorkflowPolicy(1, true, true, 4, true,
        List.of(new DataItem("Request Reason", "Why you need the card", false))));
    return m;
  }

  private static Map<String, WorkflowPolicy> softwareWorkflows() {
    Map<String, WorkflowPolicy> m = new LinkedHashMap<>();
    for (RequestType t : List.of(RequestType.ENROLL, RequestType.RENEW, RequestType.RECOVER, RequestType.REVOKE,
        RequestType.DISABLE)) {
      m.put(t.wireName(), WorkflowPolicy.selfService(0));
    }
    return m;
  }
}
