package io.tokenroll.agent.response;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * The certificate issued for one of our keys and the CA certificates above it, checked: the leaf's public key is
 * the key we hold, every certificate is signed by the next, CA certificates are CAs, the leaf is not, and no
 * certificate in the answer is left over (a stray certificate means the answer is not what it claims).
 */
public record IssuedChain(X509Certificate leaf, List<X509Certificate> authorities) {

  /**
   * Builds the chain for {@code key} from an unordered bag of certificates.
   *
   * @param anchors certificates that may complete a chain the bag leaves open (a configured CA), may be empty
   * @param requireAnchor whether the chain must end in one of {@code anchors} (the issuers the user trusts)
   */
  public static IssuedChain forKey(PublicKey key, List<X509Certificate> bag, List<X509Certificate> anchors,
                                   boolean requireAnchor) throws InvalidResponseException {
    List<X509Certificate> leaves = bag.stream().filter(c -> Arrays.equals(c.getPublicKey().getEncoded(),
        key.getEncoded())).toList();
    if (leaves.isEmpty()) {
      throw new InvalidResponseException("no certificate in the answer is for the key we generated");
    }
    if (leaves.size() > 1) {
      throw new InvalidResponseException(leaves.size() + " certificates in the answer claim the same key");
    }
    X509Certificate leaf = leaves.get(0);
    if (leaf.getBasicConstraints() >= 0) {
      throw new InvalidResponseException("the certificate for our key is a CA certificate; refused");
    }
    checkValidity(leaf, "the issued certificate");
    List<X509Certificate> remaining = new ArrayList<>(bag);
    remaining.remove(leaf);
    List<X509Certificate> chain = new ArrayList<>();
    X509Certificate current = leaf;
    while (!isSelfIssued(current)) {
      X509Certificate issuer = issuerOf(current, remaining);
      if (issuer == null) {
        X509Certificate anchor = issuerOf(current, anchors);
        if (anchor == null && !chain.isEmpty() || anchor == null && !remaining.isEmpty()) {
          throw new InvalidResponseException("the chain does not chain: nothing in the answer signed '"
              + current.getSubjectX500Principal() + "'");
        }
        break; // a leaf alone, or a chain completed by a configured anchor
      }
      if (issuer.getBasicConstraints() < 0) {
        throw new InvalidResponseException("'" + issuer.getSubjectX500Principal() + "' signs certificates but is "
            + "not a CA certificate");
      }
      checkValidity(issuer, "CA certificate '" + issuer.getSubjectX500Principal() + "'");
      remaining.remove(issuer);
      chain.add(issuer);
      current = issuer;
    }
    if (!remaining.isEmpty()) {
      throw new InvalidResponseException("the answer carries certificates outside the chain: '"
          + remaining.get(0).getSubjectX500Principal() + "'");
    }
    if (requireAnchor && !anchors.contains(current) && issuerOf(current, anchors) == null) {
      throw new InvalidResponseException("the chain ends in '" + current.getSubjectX500Principal()
          + "', which is not among the trusted issuers");
    }
    return new IssuedChain(leaf, List.copyOf(chain));
  }

  private static X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> candidates) {
    for (X509Certificate c : candidates) {
      if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && verifies(cert, c.getPublicKey())) {
        return c;
      }
    }
    return null;
  }

  private static boolean isSelfIssued(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c.getPublicKey());
  }

  private static boolean verifies(X509Certificate cert, PublicKey key) {
    try {
      cert.verify(key);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkValidity(X509Certificate c, String what) throws InvalidResponseException {
    Date now = new Date();
    if (c.getNotAfter().before(now)) {
      throw new InvalidResponseException(what + " expired on " + c.getNotAfter().toInstant());
    }
    if (c.getNotBefore().after(new Date(now.getTime() + 10 * 60_000L))) {
      throw new InvalidResponseException(what + " is not valid before " + c.getNotBefore().toInstant());
    }
  }
}
