package io.tokenroll.agent.enroll;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tokenroll.protocol.mimcm.RequestType;

/**
 * What an enrollment does to its token, as MIM CM names the request's type. The journal keeps MIM's name
 * ("Enroll"), which journals written before this type already hold.
 */
public enum Workflow {
  ENROLL(RequestType.ENROLL), RENEW(RequestType.RENEW), UNBLOCK(RequestType.UNBLOCK), RETIRE(RequestType.RETIRE);

  private final RequestType requestType;

  Workflow(RequestType requestType) {
    this.requestType = requestType;
  }

  /** The MIM CM request type of this workflow. */
  public RequestType requestType() {
    return requestType;
  }

  /** MIM's name: the journal's, the CLI's and the request's ("Enroll"). */
  @JsonValue
  @Override
  public String toString() {
    return requestType.wireName();
  }

  /** A workflow by MIM's name, any case; an unknown name is refused (a journal entry that names one is not read). */
  @JsonCreator
  public static Workflow parse(String name) {
    for (Workflow w : values()) {
      if (w.requestType.wireName().equalsIgnoreCase(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workflow '" + name + "'");
  }
}
