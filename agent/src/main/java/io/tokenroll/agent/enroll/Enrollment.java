package io.tokenroll.agent.enroll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One enrollment as the journal stores it: the only source of truth. It holds no PIN and no password — only
 * where they come from (a file path, a variable name). The pfxpassword of a request lives here only between the
 * server's answer and the installation of its PFX items, then is erased.
 */
public final class Enrollment {
  /**
   * The journal's format: 2 names the token in one reference ({@link #token}), 1 in four loose fields. An entry of
   * a later format is not read (nor rewritten, which would drop what this version does not know).
   */
  public static final int FORMAT = 2;
  public int formatVersion = FORMAT;
  public EnrollmentId id;
  public Workflow workflow = Workflow.ENROLL;
  public ServerProtocol protocol = ServerProtocol.MIM_CM;
  public EnrollmentState state = EnrollmentState.NEW;
  public Instant created;
  public Instant updated;

  public String server;
  /** How we log in to the server: the method and where its secrets come from. */
  public io.tokenroll.agent.login.ServerLogin login = io.tokenroll.agent.login.ServerLogin.NONE;
  public String trustFile;
  /** Roots an issued chain must end in (--issuer-trust); null: chains need only be consistent. */
  public String issuerTrustFile;
  public boolean insecure;

  public String template;
  public UUID templateUuid;
  public boolean smartcardTemplate;
  public String comment;
  public List<java.util.Map<String, String>> dataCollection = new ArrayList<>();

  /**
   * The token this enrollment writes to, as the lock and the token layer name it: its module (a library's absolute
   * path, or a provider's name), the module's arguments, its label and serial. Null for none yet.
   */
  public io.tokenroll.pkcs11.TokenRef token;
  public String pinSource;
  /** Windows key storage provider names and the PKCS#11 token URIs they stand for (--ksp). */
  public java.util.Map<String, String> kspMap = new java.util.LinkedHashMap<>();
  /** Unblock: where the security officer PIN and the new user PIN come from. */
  public String soPinSource;
  /** How the template sets the user PIN (from the server's smart-card configuration); null for none known. */
  public io.tokenroll.protocol.mimcm.UserPinOption userPinOption;
  /** Where a server-proposed PIN goes for the user: "show" (the terminal) or file:<path>; null for nowhere. */
  public String serverPinOutput;
  /** The server's PIN is on the token (set once; never set again by a resumed run). */
  public boolean pinChanged;
  /** The server's PIN is being set as security officer on a card that had no user PIN (C_InitPIN). */
  public boolean pinSetAsOfficer;
  public String newPinSource;

  public UUID requestId;
  /** The CA's request id (direct CA enrollments). */
  public Integer caRequestId;
  /** A TLS client certificate (PKCS#12) and where its password comes from. */
  public String clientCertificate;
  public String clientCertificatePasswordSource;
  public String serverStatus;
  public UUID smartcardUuid;
  public String cardId;
  /** A card's answer to reset (hex), sent when binding it (POST smartcards); null for tokens that are not cards. */
  public String atr;
  /** The template has the server diversify the card's administrator key (its smart-card configuration). */
  public boolean diversifyAdminKey;
  /** The card's administrator key is the server's diversified one (set once the change is made). */
  public boolean adminKeyDiversified;
  /** Renew / retire: the enrollment whose keys and certificates this one replaces or removes. */
  public EnrollmentId previous;

  public List<KeyPlan> keys = new ArrayList<>();
  public List<String> csrs = new ArrayList<>();
  /** The certificatedata answer, as received (JSON), until installed. */
  public String answer;
  public String pfxPassword;
  public List<ItemOutcome> outcomes = new ArrayList<>();
  /** Key ids and CA certificate ids this enrollment wrote to the token (for retire and abandon). */
  public List<String> installedKeyIds = new ArrayList<>();
  public List<String> installedCaIds = new ArrayList<>();
  /** CA certificates the chain needed that were on the token already: relied on, never removed for this one. */
  public List<String> usedCaIds = new ArrayList<>();

  /** Set on a completed enrollment when a later one retired or renewed it. */
  public EnrollmentId supersededBy;

  /** Why the enrollment cannot go on by itself (server unreachable after retries …), for status. */
  public String stuck;
  /** When this enrollment's certificates are due for renewal (journaled at installation; see Renewal). */
  public Instant renewAfter;
  /** What a parked enrollment waits for (approval, the token, a PIN); null when it is not parked. */
  public Waiting waiting;
  /** A backing-off enrollment runs again no sooner than this; null when it is not backing off. */
  public Instant notBefore;
  /** The token refused the journaled PIN source's PIN (wrong or locked): nothing tries it again by itself. */
  public boolean pinRefused;
  /** Said lost or destroyed ('abandon --token-lost'): its abandonment touches the server only, never the token. */
  public boolean tokenLost;
  public String lastError;
  public int attempts;

  /** Records the token this enrollment writes to: its module, how to find it again, its PIN source, its card id. */
  public void recordToken(java.nio.file.Path module, String moduleArgs, io.tokenroll.pkcs11.TokenInfo token,
                          String pinSource) {
    this.token = io.tokenroll.pkcs11.TokenRef.of(module, moduleArgs, token);
    this.pinSource = pinSource;
    cardId = io.tokenroll.agent.token.CardIds.of(token);
    atr = token.atr();
  }

  /** The token's label, or null before one is recorded. */
  public String tokenLabel() {
    return token == null ? null : token.label();
  }

  /*
   * Format 1 named the token in four loose fields. They are still written beside the reference, for a tokenroll of
   * format 1 that reads this journal after a downgrade (it would see no token, and enroll every card again); read,
   * they count only for an entry without a reference (upgradeFormat1), so their order in a file does not matter.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  private String[] format1; // library, moduleArgs, tokenLabel, tokenSerial, as read

  @com.fasterxml.jackson.annotation.JsonProperty("library")
  private String format1Library() {
    return token == null || token.module() == null ? null : token.module().toString();
  }

  @com.fasterxml.jackson.annotation.JsonProperty("library")
  private void format1Library(String value) {
    format1()[0] = value;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("moduleArgs")
  private String format1ModuleArgs() {
    return token == null ? null : token.moduleArgs();
  }

  @com.fasterxml.jackson.annotation.JsonProperty("moduleArgs")
  private void format1ModuleArgs(String value) {
    format1()[1] = value;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("tokenLabel")
  private String format1TokenLabel() {
    return tokenLabel();
  }

  @com.fasterxml.jackson.annotation.JsonProperty("tokenLabel")
  private void format1TokenLabel(String value) {
    format1()[2] = value;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("tokenSerial")
  private String format1TokenSerial() {
    return token == null ? null : token.serial();
  }

  @com.fasterxml.jackson.annotation.JsonProperty("tokenSerial")
  private void format1TokenSerial(String value) {
    format1()[3] = value;
  }

  private String[] format1() {
    if (format1 == null) {
      format1 = new String[4];
    }
    return format1;
  }

  /** After reading: an entry of format 1 (loose fields, no reference) gets its token reference from them. */
  public void upgradeFormat1() {
    String[] f = format1;
    format1 = null;
    if (token == null && f != null && f[0] != null && f[2] != null) { // half of one names no token, as before
      token = new io.tokenroll.pkcs11.TokenRef(java.nio.file.Path.of(f[0]), f[1], f[2], f[3]);
    }
  }

  /**
   * Live or still under way: neither given up (abandoned, denied, canceled) nor superseded by a later enrollment —
   * what it put on the token may still be needed.
   */
  public boolean isLive() {
    return supersededBy == null && state != EnrollmentState.ABANDONED && state != EnrollmentState.DENIED
        && state != EnrollmentState.CANCELED;
  }

  /** Takes over what the server said of the template for {@code resolved} (see EnrollmentService.resolveTemplate). */
  public void takeTemplateOf(Enrollment resolved) {
    template = resolved.template;
    templateUuid = resolved.templateUuid;
    smartcardTemplate = resolved.smartcardTemplate;
    userPinOption = resolved.userPinOption;
    diversifyAdminKey = resolved.diversifyAdminKey;
  }

  /**
   * Dates a completed enrollment journaled before certificate dates were kept: each installed item's validity from
   * the certificate of the same serial among {@code certificates} (read from the token), then — only when every
   * installed certificate was found — the renewal time. Returns whether every one was found.
   */
  public boolean dateFrom(List<java.security.cert.X509Certificate> certificates, Instant now) {
    boolean all = true;
    for (ItemOutcome o : outcomes) {
      if (!"INSTALLED".equals(o.result) || o.certificateSerial == null || o.notAfter != null) {
        continue;
      }
      var found = certificates.stream()
          .filter(c -> c.getSerialNumber().toString(16).equalsIgnoreCase(o.certificateSerial)).findFirst();
      if (found.isPresent()) {
        o.notBefore = found.get().getNotBefore().toInstant();
        o.notAfter = found.get().getNotAfter().toInstant();
      } else {
        all = false;
      }
    }
    if (all) { // with a certificate missing from the token, no renewal time: renewing it is a person's decision
      renewAfter = Renewal.due(outcomes, now);
    }
    return all;
  }

  /**
   * A card workflow (Renew, Unblock, Retire) on the card a completed, current enrollment made: the same server,
   * login, trust, template and token.
   *
   * @throws IllegalStateException when {@code previous} is not completed, is superseded, or has no card
   */
  public static Enrollment followUp(Enrollment previous, Workflow workflow) {
    if (previous.state != EnrollmentState.COMPLETED || previous.supersededBy != null) {
      throw new IllegalStateException("enrollment " + previous.id + " is " + previous.state
          + (previous.supersededBy == null ? "" : ", superseded by " + previous.supersededBy)
          + "; " + workflow.toString().toLowerCase() + " needs a completed, current enrollment");
    }
    if (previous.smartcardUuid == null) {
      throw new IllegalStateException("enrollment " + previous.id + " has no smart card on the server (a software "
          + "template); " + workflow.toString().toLowerCase() + " is a card workflow");
    }
    Enrollment e = create(workflow);
    e.previous = previous.id;
    e.server = previous.server;
    e.login = previous.login;
    e.trustFile = previous.trustFile;
    e.issuerTrustFile = previous.issuerTrustFile;
    e.insecure = previous.insecure;
    e.template = previous.template;
    e.templateUuid = previous.templateUuid;
    e.smartcardTemplate = previous.smartcardTemplate;
    e.token = previous.token;
    e.pinSource = previous.pinSource;
    e.kspMap.putAll(previous.kspMap);
    e.cardId = previous.cardId;
    e.atr = previous.atr;
    e.smartcardUuid = previous.smartcardUuid;
    e.diversifyAdminKey = previous.diversifyAdminKey;
    e.adminKeyDiversified = previous.adminKeyDiversified;
    return e;
  }

  public static Enrollment create(Workflow workflow) {
    Enrollment e = new Enrollment();
    e.id = EnrollmentId.next();
    e.workflow = workflow;
    e.created = Instant.now();
    e.updated = e.created;
    return e;
  }

  /** The marker put in the request's comment, so a request created just before a crash can be found again. */
  /** Journals written before {@link #login} named a Basic user and its password source at the top level. */
  @com.fasterxml.jackson.annotation.JsonSetter("user")
  void legacyUser(String user) {
    if (user != null) {
      login = io.tokenroll.agent.login.ServerLogin.basic(user, login.secretSource());
    }
  }

  @com.fasterxml.jackson.annotation.JsonSetter("passwordSource")
  void legacyPasswordSource(String source) {
    if (source != null) {
      login = login.withSecretSource(source);
    }
  }

  public String nonce() {
    return "tokenroll:" + id;
  }

  public KeyPlan key(int index) {
    return keys.stream().filter(k -> k.index == index).findFirst().orElseThrow();
  }
}
