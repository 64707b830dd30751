package io.tokenroll.pkcs11.pin;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.pkcs11.PinStatus;
import io.tokenroll.pkcs11.TokenException;
import io.tokenroll.pkcs11.TokenInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinSourceTest {
  private static final TokenInfo TOKEN = new TokenInfo(1, "", "t", "s", "m", "x", Set.of(), PinStatus.OK,
      PinStatus.OK, List.of());

  @TempDir
  Path dir;

  @Test
  void file_readsTheFirstLineOnly() throws Exception {
    Path f = Files.writeString(dir.resolve("pin"), "123456\r\nsecond line\n");
    try (Pin pin = PinSource.parse("file:" + f).read(TOKEN, PinPurpose.USER)) {
      assertArrayEquals("123456".toCharArray(), pin.chars());
    }
  }

  @Test
  void file_emptyOrMissing_failsNamingTheFileNotThePin() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    var e = assertThrows(TokenException.class, () -> PinSource.parse("file:" + empty).read(TOKEN, PinPurpose.USER));
    assertTrue(e.getMessage().contains("empty"));
    var missing = assertThrows(TokenException.class, () -> PinSource.parse(dir.resolve("missing").toString())
        .read(TOKEN, PinPurpose.USER));
    assertTrue(missing.getMessage().endsWith("missing: no such file"), missing.getMessage());
  }

  @Test
  void env_unsetVariable_saysWhich() {
    var e = assertThrows(TokenException.class,
        () -> PinSource.parse("env:TOKENROLL_TEST_SURELY_UNSET").read(TOKEN, PinPurpose.USER));
    assertTrue(e.getMessage().contains("TOKENROLL_TEST_SURELY_UNSET"));
  }

  @Test
  void pinpad_givesNoCharacters() throws Exception {
    try (Pin pin = PinSource.parse("pinpad").read(TOKEN, PinPurpose.USER)) {
      assertTrue(pin.isProtectedAuthenticationPath());
      assertNull(pin.chars());
    }
  }

  @Test
  void pin_isWipedOnCloseAndNeverPrinted() {
    char[] chars = "424242".toCharArray();
    Pin pin = Pin.of(chars);
    assertFalse(pin.toString().contains("4242"));
    pin.close();
    assertArrayEquals(new char[6], chars);
    assertThrows(IllegalStateException.class, pin::chars);
  }

  @Test
  void parse_unknownSpec_listsTheForms() {
    var e = assertThrows(IllegalArgumentException.class, () -> PinSource.parse("1234"));
    assertTrue(e.getMessage().contains("file:<path>"));
    assertFalse(e.getMessage().contains("1234"), "a PIN typed by mistake is not echoed");
  }
}
