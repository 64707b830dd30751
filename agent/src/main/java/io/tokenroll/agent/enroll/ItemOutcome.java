package io.tokenroll.agent.enroll;

/** What happened to one item of the server's answer. */
public final class ItemOutcome {
  public int item;
  /** INSTALLED, FAILED (server error or refused by us), SKIPPED. */
  public String result;
  public String detail;
  public Integer keyIndex;
  public String certificateSerial;
  public String keyId;
  /** The installed certificate's validity: what renewal is planned from. */
  public java.time.Instant notBefore;
  public java.time.Instant notAfter;

  /** Records the certificate's validity. */
  ItemOutcome validity(java.security.cert.X509Certificate certificate) {
    notBefore = certificate.getNotBefore().toInstant();
    notAfter = certificate.getNotAfter().toInstant();
    return this;
  }

  public static ItemOutcome of(int item, String result, String detail) {
    ItemOutcome o = new ItemOutcome();
    o.item = item;
    o.result = result;
    o.detail = detail;
    return o;
  }
}
