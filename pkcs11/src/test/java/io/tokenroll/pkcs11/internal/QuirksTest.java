package io.tokenroll.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuirksTest {
  @Test
  void knownFamilies_matchByManufacturerModelOrLibrary() {
    assertEquals("softhsm2", Quirks.forToken("Implementation of PKCS11", "SoftHSM project", "SoftHSM v2", "x").name());
    Quirks tpm = Quirks.forToken("TPM2.0 Cryptoki", "IBM", "SW   TPM", "x");
    assertEquals("tpm2-pkcs11", tpm.name());
    assertEquals(40, tpm.keyGenerationsPerInitialization());
    assertFalse(tpm.keyImport());
    Quirks nss = Quirks.forToken("NSS Internal Crypto Services", "Mozilla Foundation", "NSS 3", "NSS Certificate DB");
    assertFalse(nss.parallelObjectWrites());
    assertTrue(nss.uniqueIssuerSerial());
    assertEquals(Quirks.DEFAULT, Quirks.forToken("Acme", "Acme", "Card", "x"));
  }

  @Test
  void parse_rejectsMalformedLines() {
    assertThrows(IllegalStateException.class, () -> Quirks.parse(List.of("key-import = true")));
    assertThrows(IllegalStateException.class, () -> Quirks.parse(List.of("quirk x", "  key-import = maybe")));
  }
}
