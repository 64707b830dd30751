package io.tokenroll.agent.enroll;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How an enrollment's server is reached; the journal keeps the short names it always had. */
public enum ServerProtocol {
  /** MIM CM's REST API. */
  MIM_CM("mimcm"),
  /** A CA directly, AD CS web enrollment with ICertRequest2's semantics. */
  CERTSRV("certsrv");

  private final String journalName;

  ServerProtocol(String journalName) {
    this.journalName = journalName;
  }

  @JsonValue
  @Override
  public String toString() {
    return journalName;
  }

  /** A protocol by its journal name; an unknown name is refused (a journal entry that names one is not read). */
  @JsonCreator
  public static ServerProtocol parse(String name) {
    for (ServerProtocol p : values()) {
      if (p.journalName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown protocol '" + name + "'");
  }
}
