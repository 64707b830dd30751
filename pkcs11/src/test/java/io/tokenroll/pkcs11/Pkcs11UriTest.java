package io.tokenroll.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class Pkcs11UriTest {
  private static TokenInfo token(String label, String serial) {
    return new TokenInfo(7, "slot seven", label, serial, "SoftHSM project", "SoftHSM v2", java.util.Set.of(),
        PinStatus.OK, PinStatus.OK, List.of());
  }

  @Test
  void parse_pathAndQueryAttributes() {
    Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=My%20Card;serial=0a1b;model=SoftHSM%20v2;manufacturer=SoftHSM%20project"
        + ";slot-id=7;id=%01%02%ff;object=Signing%20key;type=private"
        + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin");
    assertEquals("My Card", uri.token());
    assertEquals("0a1b", uri.serial());
    assertEquals(7L, uri.slotId());
    assertEquals(KeyId.parse("0102ff"), uri.id());
    assertEquals("Signing key", uri.object());
    assertEquals("private", uri.type());
    assertEquals("/usr/lib/softhsm/libsofthsm2.so", uri.modulePath());
    assertEquals("file:/run/pin", uri.pinSource());
  }

  @Test
  void toString_roundTrips() {
    String text = "pkcs11:token=My%20Card;id=%01%02%FF?module-path=/usr/lib/x.so&pin-source=file:/run/pin";
    Pkcs11Uri uri = Pkcs11Uri.parse(text);
    assertEquals(text, uri.toString());
    assertEquals(uri, Pkcs11Uri.parse(uri.toString()));
  }

  @Test
  void modulePath_isAlsoAcceptedInThePath() {
    assertEquals("/lib/x.so", Pkcs11Uri.parse("pkcs11:token=a;module-path=/lib/x.so").modulePath());
  }

  @Test
  void matches_everyGivenAttribute() {
    TokenInfo t = token("alice", "0a1b");
    assertTrue(Pkcs11Uri.parse("pkcs11:token=alice").matches(t));
    assertTrue(Pkcs11Uri.parse("pkcs11:token=alice;serial=0a1b;slot-id=7").matches(t));
    assertFalse(Pkcs11Uri.parse("pkcs11:token=alice;serial=ffff").matches(t));
    assertFalse(Pkcs11Uri.parse("pkcs11:slot-id=8").matches(t));
    assertTrue(Pkcs11Uri.parse("pkcs11:").matches(t));
    assertFalse(Pkcs11Uri.parse("pkcs11:").selectsToken());
  }

  @Test
  void parse_refusesPinValueDuplicatesAndUnknownAttributes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=a?pin-value=1234"));
    assertTrue(e.getMessage().contains("pin-value is not accepted"));
    assertFalse(e.getMessage().contains("1234"), "the rejected PIN is not echoed");
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=a;token=b"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:colour=blue"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:slot-id=abc"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=%4"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("token=a"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token"));
    assertNotNull(Pkcs11Uri.parse("pkcs11:x-vendor=1"), "vendor attributes are allowed by RFC 7512");
  }
}
