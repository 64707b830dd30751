package io.tokenroll.agent.enroll;

/**
 * One key this enrollment makes, from one generation-options entry, with how far it got. The provisional id is
 * journaled before C_GenerateKeyPair, so a key left by a crash is found and removed or finished.
 */
public final class KeyPlan {
  /** PLANNED: provisional id journaled; GENERATED: public key journaled, id not final yet; READY: final id set. */
  public enum Stage { PLANNED, GENERATED, READY, REMOVED }

  public int index;
  public String keySpec;
  public String hash;
  public String subject;
  public java.util.List<String> usages = new java.util.ArrayList<>();
  public boolean exportable;
  public String label;
  public String provisionalId;
  public String finalId;
  /**
   * On a token with fixed key slots (PIV): the slot's id, journaled before the key is generated into it, and the
   * public key (base64) of the certificate the slot held then — the key the generation overwrote.
   */
  public String slot;
  public String replacedPublicKey;
  /** The public key (SubjectPublicKeyInfo, base64), known once generated. */
  public String publicKey;
  public Stage stage = Stage.PLANNED;
  /** Set when this key's certificate is on the token. */
  public boolean certified;
  /**
   * A key for decryption or key agreement only: it is made able to sign because a PKCS#10 request must be signed
   * by its own key (proof of possession), and that right is withdrawn once its certificate is installed.
   */
  public boolean signsOnlyItsRequest;
  /** After installation: whether the token took the withdrawal (false: it cannot restrict usages); null before. */
  public Boolean signingWithdrawn;
}
