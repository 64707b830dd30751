package io.tokenroll.protocol.certsrv;

import static io.tokenroll.protocol.certsrv.PropType.*;

/**
 * CA property ids ({@code CR_PROP_*}) with the type and indexing ICertAdmin2::GetCAProperty documents.
 * {@link #flags()} is what GetCAPropertyFlags returns: the type, OR PROPFLAGS_INDEXED.
 */
public enum CaProperty {
  FILEVERSION(1, PROPTYPE_STRING, false, "File Version"),
  PRODUCTVERSION(2, PROPTYPE_STRING, false, "Product Version"),
  EXITCOUNT(3, PROPTYPE_LONG, false, "Exit Module Count"),
  EXITDESCRIPTION(4, PROPTYPE_STRING, true, "Exit Module Description"),
  POLICYDESCRIPTION(5, PROPTYPE_STRING, false, "Policy Module Description"),
  CANAME(6, PROPTYPE_STRING, false, "CA Name"),
  SANITIZEDCANAME(7, PROPTYPE_STRING, false, "Sanitized CA Name"),
  SHAREDFOLDER(8, PROPTYPE_STRING, false, "Shared Folder"),
  PARENTCA(9, PROPTYPE_STRING, false, "Parent CA"),
  CATYPE(10, PROPTYPE_LONG, false, "CA Type"),
  CASIGCERTCOUNT(11, PROPTYPE_LONG, false, "CA Signature Certificate Count"),
  CASIGCERT(12, PROPTYPE_BINARY, true, "CA Signature Certificate"),
  CASIGCERTCHAIN(13, PROPTYPE_BINARY, true, "CA Signature Certificate Chain"),
  CAXCHGCERTCOUNT(14, PROPTYPE_LONG, false, "CA Exchange Certificate Count"),
  CAXCHGCERT(15, PROPTYPE_BINARY, true, "CA Exchange Certificate"),
  CAXCHGCERTCHAIN(16, PROPTYPE_BINARY, true, "CA Exchange Certificate Chain"),
  BASECRL(17, PROPTYPE_BINARY, true, "Base CRL"),
  DELTACRL(18, PROPTYPE_BINARY, true, "Delta CRL"),
  CACERTSTATE(19, PROPTYPE_LONG, true, "CA Certificate State"),
  CRLSTATE(20, PROPTYPE_LONG, true, "CRL State"),
  CAPROPIDMAX(21, PROPTYPE_LONG, false, "Maximum Property ID"),
  DNSNAME(22, PROPTYPE_STRING, false, "DNS Name"),
  ROLESEPARATIONENABLED(23, PROPTYPE_LONG, false, "Role Separation Enabled"),
  KRACERTUSEDCOUNT(24, PROPTYPE_LONG, false, "KRA Certificates Used Count"),
  KRACERTCOUNT(25, PROPTYPE_LONG, false, "KRA Certificate Count"),
  KRACERT(26, PROPTYPE_BINARY, true, "KRA Certificate"),
  KRACERTSTATE(27, PROPTYPE_LONG, true, "KRA Certificate State"),
  ADVANCEDSERVER(28, PROPTYPE_LONG, false, "Advanced Server"),
  TEMPLATES(29, PROPTYPE_STRING, false, "Templates"),
  BASECRLPUBLISHSTATUS(30, PROPTYPE_LONG, true, "Base CRL Publish Status"),
  DELTACRLPUBLISHSTATUS(31, PROPTYPE_LONG, true, "Delta CRL Publish Status"),
  CASIGCERTCRLCHAIN(32, PROPTYPE_BINARY, true, "CA Signature Certificate CRL Chain"),
  CAXCHGCERTCRLCHAIN(33, PROPTYPE_BINARY, true, "CA Exchange Certificate CRL Chain"),
  CACERTSTATUSCODE(34, PROPTYPE_LONG, true, "CA Certificate Status Code"),
  CAFORWARDCROSSCERT(35, PROPTYPE_BINARY, true, "CA Forward Cross Certificate"),
  CABACKWARDCROSSCERT(36, PROPTYPE_BINARY, true, "CA Backward Cross Certificate"),
  CAFORWARDCROSSCERTSTATE(37, PROPTYPE_LONG, true, "CA Forward Cross Certificate State"),
  CABACKWARDCROSSCERTSTATE(38, PROPTYPE_LONG, true, "CA Backward Cross Certificate State"),
  CACERTVERSION(39, PROPTYPE_LONG, true, "CA Certificate Version"),
  SANITIZEDCASHORTNAME(40, PROPTYPE_STRING, false, "Sanitized CA Short Name"),
  CERTCDPURLS(41, PROPTYPE_STRING, true, "Certificate CDP URLs"),
  CERTAIAURLS(42, PROPTYPE_STRING, true, "Certificate AIA URLs"),
  CERTAIAOCSPURLS(43, PROPTYPE_STRING, true, "Certificate AIA OCSP URLs"),
  LOCALENAME(44, PROPTYPE_STRING, false, "Locale Name"),
  SUBJECTTEMPLATE_OIDS(45, PROPTYPE_STRING, false, "Subject Template OIDs");

  private final int id;
  private final int type;
  private final boolean indexed;
  private final String displayName;

  CaProperty(int id, int type, boolean indexed, String displayName) {
    this.id = id;
    this.type = type;
    this.indexed = indexed;
    this.displayName = displayName;
  }

  /** The numeric CR_PROP_ id. */
  public int id() {
    return id;
  }

  /** PROPTYPE_LONG, _DATE, _BINARY or _STRING. */
  public int type() {
    return type;
  }

  public boolean indexed() {
    return indexed;
  }

  /** GetCAPropertyFlags: the type, OR PROPFLAGS_INDEXED for indexed properties. */
  public int flags() {
    return type | (indexed ? PROPFLAGS_INDEXED : 0);
  }

  public String displayName() {
    return displayName;
  }

  public static CaProperty fromId(int id) {
    for (CaProperty p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown CR_PROP id " + id);
  }

  /** Accepts {@code CR_PROP_CANAME}, {@code CANAME}, {@code caname} or the number. */
  public static CaProperty parse(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT);
    if (t.startsWith("CR_PROP_")) {
      t = t.substring(8);
    }
    if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
      return fromId(Integer.parseInt(t));
    }
    return valueOf(t);
  }
}
