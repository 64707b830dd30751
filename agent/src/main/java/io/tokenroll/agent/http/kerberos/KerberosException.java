package io.tokenroll.agent.http.kerberos;

/** Kerberos cannot authenticate us; the message says why and what to do (run kinit, fix the clock, …). */
public final class KerberosException extends RuntimeException {
  public KerberosException(String message) {
    super(message);
  }
}
