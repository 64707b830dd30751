package io.tokenroll.agent.response;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A PKCS#12 (PFX) answer, opened with the pfxpassword the agent sent: a private key, its certificate, a chain. */
public record PfxContents(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {

  public static PfxContents open(byte[] pfx, char[] password) throws InvalidResponseException {
    InvalidResponseException.checkShape(pfx, "the PFX");
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(pfx), password);
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias)) {
          PrivateKey key = (PrivateKey) ks.getKey(alias, password);
          Certificate[] chain = ks.getCertificateChain(alias);
          if (key == null || chain == null || chain.length == 0) {
            continue;
          }
          List<X509Certificate> cas = new ArrayList<>();
          for (int i = 1; i < chain.length; i++) {
            cas.add((X509Certificate) chain[i]);
          }
          return new PfxContents(key, (X509Certificate) chain[0], cas);
        }
      }
      throw new InvalidResponseException("the PFX holds no private key with its certificate");
    } catch (InvalidResponseException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new InvalidResponseException("the PFX cannot be opened (wrong pfxpassword, or not a PFX): "
          + reason(e));
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new InvalidResponseException("the PFX cannot be read: " + reason(e));
    } catch (StackOverflowError e) { // decrypted contents are decoded too, past the shape check of the outside
      throw new InvalidResponseException("the PFX is nested too deeply to decode; refused");
    }
  }

  /** What went wrong, never "null": the JDK throws some exceptions (a truncated PFX's EOFException) bare. */
  private static String reason(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e instanceof java.io.EOFException ? "it is truncated"
        : e.getClass().getSimpleName();
  }
}
