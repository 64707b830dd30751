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

  public static ItemOutcome of(int item, String result, String detail) {
    ItemOutcome o = new ItemOutcome();
    o.item = item;
    o.result = result;
    o.detail = detail;
    return o;
  }
}
