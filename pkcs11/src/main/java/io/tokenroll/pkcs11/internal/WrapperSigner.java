package io.tokenroll.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_CONTEXT_SPECIFIC;

import io.tokenroll.pkcs11.KeyRef;
import io.tokenroll.pkcs11.SignatureAlgorithm;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenSigner;
import io.tokenroll.pkcs11.pin.Pin;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_PSS_PARAMS;

/**
 * Signs with a token private key. Uses the token's combined hash-and-sign mechanism when it has one, otherwise
 * hashes on the host and has the token sign the digest (CKM_RSA_PKCS over a DigestInfo, CKM_RSA_PKCS_PSS,
 * CKM_ECDSA) — how PIV-style tokens that offer only raw mechanisms are used.
 */
final class WrapperSigner implements TokenSigner {
  private final WrapperSession owner;
  private final long keyHandle;
  private final KeyRef key;
  private final PublicKey publicKey;
  private final SignatureAlgorithm algorithm;
  private final boolean alwaysAuthenticate;
  private final boolean hashOnHost;
  private final Mechanism mechanism;
  private final String action;

  WrapperSigner(WrapperSession owner, long keyHandle, KeyRef key, PublicKey publicKey, SignatureAlgorithm algorithm,
                boolean alwaysAuthenticate, boolean combinedAvailable) {
    this.owner = owner;
    this.keyHandle = keyHandle;
    this.key = key;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
    this.alwaysAuthenticate = alwaysAuthenticate;
    this.hashOnHost = !combinedAvailable;
    long code = combinedAvailable ? Mechanisms.combined(algorithm) : Mechanisms.raw(algorithm);
    this.mechanism = algorithm.padding() == SignatureAlgorithm.Padding.PSS
        ? new Mechanism(code, new RSA_PKCS_PSS_PARAMS(Mechanisms.digestMechanism(algorithm),
            Mechanisms.mgf(algorithm), algorithm.digestLength()))
        : new Mechanism(code);
    this.action = "signing with key " + key;
  }

  @Override
  public byte[] sign(byte[] data) throws TokenException {
    byte[] input = hashOnHost ? hostInput(data) : data;
    byte[] signature = owner.withSession(action, s -> {
      if (!alwaysAuthenticate) {
        return s.signSingle(mechanism, keyHandle, input);
      }
      s.signInit(mechanism, keyHandle);
      try (Pin pin = owner.contextSpecificPin()) {
        s.login(CKU_CONTEXT_SPECIFIC, pin.chars());
      } catch (PKCS11Exception e) {
        // NSS keeps the attribute but does not implement context-specific login: the user login suffices there
        if (e.getErrorCode() != CKR_USER_ALREADY_LOGGED_IN) {
          throw e;
        }
      }
      return s.sign(input);
    });
    return algorithm.padding() == SignatureAlgorithm.Padding.NONE
        ? SignatureEncoding.ecdsaToDer(signature) : signature;
  }

  private byte[] hostInput(byte[] data) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance(algorithm.digest()).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return algorithm.padding() == SignatureAlgorithm.Padding.PKCS1
        ? SignatureEncoding.digestInfo(algorithm, digest) : digest;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public KeyRef key() {
    return key;
  }

  @Override
  public String toString() {
    return algorithm.jcaName() + " signer for key " + key + (hashOnHost ? " (host digest)" : "");
  }
}
