package io.tokenroll.agent.enroll;

import io.tokenroll.agent.http.ServerException;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSession;
import java.io.IOException;

/**
 * The server side of an enrollment: MIM CM's REST flow, or a CA reached directly with ICertRequest2 semantics.
 * One state machine drives both; the token side (keys, CSRs, installation, clean-up) is the machine's own.
 */
interface Protocol {
  /** One step of a server-facing state (creating the request, approval, submission, completion …). */
  Step step(Enrollment e) throws IOException, ServerException, TokenException, EnrollmentException;

  /** Called once the answer is installed, before completion (renewal retires the old keys here). */
  void installed(Enrollment e, TokenSession session) throws IOException, TokenException, EnrollmentException;

  /**
   * Authenticates as the card's administrator where its writes need it (a PIV card's management key), with whatever
   * holds the key on this protocol's side.
   */
  void authenticateAdministrator(Enrollment e, TokenSession session) throws IOException, ServerException,
      TokenException, EnrollmentException;

  /** The server's part of giving up: tell it the request is abandoned, where the protocol can. */
  void abandon(Enrollment e) throws IOException, ServerException;
}
