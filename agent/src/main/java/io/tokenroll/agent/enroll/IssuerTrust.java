package io.tokenroll.agent.enroll;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What issued chains are checked against: with {@code --issuer-trust} a chain must end in one of those roots;
 * without it the chain need only be consistent, and the server's TLS trust anchors may complete it.
 */
public record IssuerTrust(List<X509Certificate> anchors, boolean required) {
  public IssuerTrust {
    anchors = List.copyOf(anchors);
  }
}
