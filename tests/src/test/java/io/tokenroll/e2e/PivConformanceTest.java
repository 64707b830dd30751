package io.tokenroll.e2e;

import io.tokenroll.pkcs11.AdminKey;
import io.tokenroll.pkcs11.KeySpec;
import io.tokenroll.pkcs11.Pkcs11Uri;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenModule;
import io.tokenroll.pkcs11.TokenSession;
import io.tokenroll.pkcs11.conformance.TokenConformanceTest;
import io.tokenroll.pkcs11.testing.Backends;
import io.tokenroll.pkcs11.testing.TestToken;
import io.tokenroll.virtualpiv.VirtualPivCard;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * The token layer's contract on the PIV provider: the virtual PIV card in the vpcd reader under a real pcscd, driven
 * over PC/SC — the same suite SoftHSM2, tpm2-pkcs11, NSS and the in-memory token pass, with the capabilities of a
 * card whose keys live in fixed slots.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class PivConformanceTest extends TokenConformanceTest {
  private VirtualCard pcsc;
  private VirtualPivCard card;

  @Override
  protected TestToken newToken() {
    try {
      pcsc = VirtualCard.start();
      Path dir = Backends.privateDirectory("tokenroll-piv-conformance-");
      card = VirtualPivCard.insert(35963, dir.resolve("card"));
      TokenModule module = TokenModule.load(Path.of("piv"));
      io.tokenroll.pkcs11.TokenInfo info = null;
      for (int i = 0; i < 100 && info == null; i++) {
        try {
          info = module.select(Pkcs11Uri.parse("pkcs11:"));
        } catch (TokenException notYet) {
          Thread.sleep(100);
        }
      }
      if (info == null) {
        throw new AssertionError("pcscd never showed the virtual PIV card");
      }
      return new TestToken("piv", module, info, Path.of("piv"), null, Backends.writeSecret(dir.resolve("pin"),
          "123456"), Backends.writeSecret(dir.resolve("puk"), "12345678"), Map.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void prepare(TokenSession session) throws TokenException {
    session.authenticateAdministrator(AdminKey.local(HexFormat.of().parseHex(
        "010203040506070801020304050607080102030405060708")));
  }

  @Override
  protected Set<KeySpec> expectedKeySpecs() {
    return Set.of(KeySpec.rsa(2048), KeySpec.parse("EC-P256"), KeySpec.parse("EC-P384"));
  }

  @AfterAll
  void removeTheCard() throws Exception {
    if (card != null) {
      card.close();
    }
    if (pcsc != null) {
      pcsc.close();
    }
  }

  /**
   * The Digital Signature key (9C) is PIN Always: each of its signatures verifies the PIN again, and a key used after
   * it still signs — the card spent the verification on 9C, and the PIN is verified again from the login's source,
   * never a wrong one: the card counts no failed try. Last, as it overwrites two slots the suite's keys may use.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void digitalSignatureKey_verifiesThePinEachTime_andTheNextKeyStillSigns() throws Exception {
    var signature = session.generateKeyPair(io.tokenroll.pkcs11.KeyTemplate.signing(KeySpec.parse("EC-P256"), "9C")
        .withId(io.tokenroll.pkcs11.piv.PivSlot.SIGNATURE.id()));
    var authentication = session.generateKeyPair(io.tokenroll.pkcs11.KeyTemplate.signing(KeySpec.parse("EC-P256"),
        "9A").withId(io.tokenroll.pkcs11.piv.PivSlot.AUTHENTICATION.id()));
    byte[] data = "PIN Always".getBytes();
    for (var key : java.util.List.of(signature, signature, authentication)) {
      var signer = session.signer(key.ref().id(), io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA);
      org.junit.jupiter.api.Assertions.assertTrue(io.tokenroll.pkcs11.testing.JdkSignatures.verifies(
          io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA, key.publicKey(), data, signer.sign(data)),
          "slot " + key.ref().id());
    }
    org.junit.jupiter.api.Assertions.assertFalse(session.refreshInfo().userPin().countLow(),
        "no failed PIN try: " + session.refreshInfo().userPin());
  }

  /**
   * Another program selects the PIV application between two signatures — as a browser or a logon service does
   * whenever it looks at the card — which resets the PIN's verified state: the second signature still comes, the PIN
   * verified again from the login's source, and the card counts no failed try.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
  void anotherProgramsSelect_betweenTwoSignatures_costsNoLogin() throws Exception {
    var key = session.generateKeyPair(io.tokenroll.pkcs11.KeyTemplate.signing(KeySpec.parse("EC-P256"), "9A")
        .withId(io.tokenroll.pkcs11.piv.PivSlot.AUTHENTICATION.id()));
    var signer = session.signer(key.ref().id(), io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA);
    byte[] data = "after another program".getBytes();
    signer.sign(data);
    String select = Backends.run(java.util.List.of("opensc-tool", "-r", "Virtual PCD 00 00", "-s",
        "00A4040009A00000030800001000", "-s", "00200080"), Map.of(), 30);
    org.junit.jupiter.api.Assertions.assertTrue(select.contains("SW1=0x63"),
        "the other program's SELECT left the PIN unverified: " + select);
    org.junit.jupiter.api.Assertions.assertTrue(io.tokenroll.pkcs11.testing.JdkSignatures.verifies(
        io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA, key.publicKey(), data, signer.sign(data)));
    org.junit.jupiter.api.Assertions.assertFalse(session.refreshInfo().userPin().countLow(),
        "no failed PIN try: " + session.refreshInfo().userPin());
    org.junit.jupiter.api.Assertions.assertFalse(session.isAdministrator(),
        "the SELECT ended the management key's authentication too: the next write authenticates again");
    prepare(session);
    org.junit.jupiter.api.Assertions.assertTrue(session.isAdministrator());
  }

  /**
   * Another program leaves the card's other application selected (OpenPGP, on a card with both) before a signature
   * with 9A, then before one with 9C (PIN Always, verified before each use): PIV answers nothing (6D00) until it is
   * selected again, which the session does before verifying the PIN again; both signatures come, no PIN try is
   * counted, and the management key is counted lost.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
  void anotherApplicationSelected_beforeASignature_isSelectedAway() throws Exception {
    var authentication = session.generateKeyPair(io.tokenroll.pkcs11.KeyTemplate.signing(KeySpec.parse("EC-P256"),
        "9A").withId(io.tokenroll.pkcs11.piv.PivSlot.AUTHENTICATION.id()));
    var signature = session.generateKeyPair(io.tokenroll.pkcs11.KeyTemplate.signing(KeySpec.parse("EC-P256"), "9C")
        .withId(io.tokenroll.pkcs11.piv.PivSlot.SIGNATURE.id()));
    session.signer(authentication.ref().id(), io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA).sign(new byte[1]);
    byte[] data = "after another application".getBytes();
    for (var key : java.util.List.of(authentication, signature)) {
      // OpenSC's default driver: its PIV driver would select PIV again before each command
      String other = Backends.run(java.util.List.of("opensc-tool", "-r", "Virtual PCD 00 00", "-c", "default", "-s",
          "00A4040006D27600012401", "-s", "00200080"), Map.of(), 30);
      org.junit.jupiter.api.Assertions.assertTrue(other.contains("SW1=0x6D"), "PIV is not selected: " + other);
      var signer = session.signer(key.ref().id(), io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA);
      org.junit.jupiter.api.Assertions.assertTrue(io.tokenroll.pkcs11.testing.JdkSignatures.verifies(
          io.tokenroll.pkcs11.SignatureAlgorithm.SHA256_ECDSA, key.publicKey(), data, signer.sign(data)),
          "slot " + key.ref().id());
      org.junit.jupiter.api.Assertions.assertFalse(session.isAdministrator());
    }
    org.junit.jupiter.api.Assertions.assertFalse(session.refreshInfo().userPin().countLow(),
        "no failed PIN try: " + session.refreshInfo().userPin());
    prepare(session);
  }
}
