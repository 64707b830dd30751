package io.tokenroll.cmserver.ca;

/** What a CA certificate template's policy does with a valid request. */
public enum Issuance {
  /** Issue at once (CR_DISP_ISSUED). */
  ISSUE,
  /** Hold for CA-manager approval (CR_DISP_UNDER_SUBMISSION) until approved or denied. */
  PEND,
  /** Deny with the template's HRESULT (CR_DISP_DENIED). */
  DENY
}
