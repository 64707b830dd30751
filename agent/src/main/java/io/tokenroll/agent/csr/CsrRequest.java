package io.tokenroll.agent.csr;

import io.tokenroll.pkcs11.KeyUsage;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What a PKCS#10 request says besides its key: the subject (may be empty, as MIM's own client sends it — the CA
 * builds the name) and the key usages to request.
 */
public record CsrRequest(X500Name subject, Set<KeyUsage> usages) {
  public CsrRequest {
    Objects.requireNonNull(subject, "subject");
    usages = usages == null || usages.isEmpty() ? EnumSet.noneOf(KeyUsage.class) : EnumSet.copyOf(usages);
  }

  /** Parses an RFC 4514 subject such as {@code CN=Alice,O=Example}; blank means an empty subject. */
  public static X500Name subject(String text) {
    if (text == null || text.isBlank()) {
      return new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
    }
    try {
      return new X500Name(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a distinguished name: '" + text + "' (expected e.g. CN=Alice,O=Example)");
    }
  }
}
