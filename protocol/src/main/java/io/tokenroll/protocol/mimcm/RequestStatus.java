package io.tokenroll.protocol.mimcm;

/**
 * Microsoft.Clm.Shared.Requests.RequestStatus. MIM documents only Approved=3 and Completed=8 (observed in its
 * examples); the other numbers are tokenroll's choice, consistent with those two. See docs/cmserver.md.
 */
public enum RequestStatus implements MimEnum {
  NONE(0), PENDING(1), DENIED(2), APPROVED(3), EXECUTING(4), FAILED(5), CANCELED(6), ABANDONED(7), COMPLETED(8);

  private final int code;

  RequestStatus(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The spelling MIM uses in URLs and PUT bodies: {@code Approved}, {@code Completed} … */
  public String wireName() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  /** Denied, Canceled, Abandoned, Failed and Completed never change again. */
  public boolean isFinal() {
    return this == DENIED || this == CANCELED || this == ABANDONED || this == FAILED || this == COMPLETED;
  }
}
