package io.tokenroll.pkcs11.pin;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Assuan side of pinentry: what is escaped going out, and what a GETPIN answer may be coming back. */
class PinentryAnswerTest {
  static char[] answer(String text) throws IOException {
    return PinentryPinSource.readPin(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aDataLineThenOk_isThePin_withItsEscapesUndone() throws Exception {
    assertArrayEquals("123456".toCharArray(), answer("S PASSWORD_FROMCACHE\nD 123456\nOK\n"));
    assertArrayEquals("12%3\n4".toCharArray(), answer("D 12%253%0A4\nOK\n"));
    assertArrayEquals("pïn".toCharArray(), answer("# a comment\nD p%C3%AFn\nOK\n"));
  }

  @Test
  void cancelledEmptyBrokenOrEndless_isNoPin() {
    assertTrue(assertThrows(IOException.class, () -> answer("ERR 83886179 Operation cancelled <Pinentry>\n"))
        .getMessage().contains("cancelled"));
    assertThrows(IOException.class, () -> answer("OK\n"), "no data line");
    assertThrows(IOException.class, () -> answer("D 12%4\nOK\n"), "a broken escape");
    assertThrows(IOException.class, () -> answer("D 12%zz\nOK\n"));
    assertThrows(IOException.class, () -> answer("D 1234\n"), "the program ended before OK");
    assertThrows(IOException.class, () -> answer("D " + "1".repeat(PinentryPinSource.MAX_PIN + 1) + "\nOK\n"));
    assertThrows(IOException.class, () -> answer("S " + "x".repeat(PinentryPinSource.MAX_LINE + 1) + "\n"));
    assertThrows(IOException.class, () -> answer("D %FF%FE\nOK\n"), "not UTF-8");
  }

  @Test
  void whatGoesOut_carriesNoLineBreakOrEscapeOfItsOwn() {
    assertEquals("token 'a%0Ab' 100%25", PinentryPinSource.escape("token 'a\nb' 100%"));
    assertEquals("%1B[31m", PinentryPinSource.escape("\u001b[31m"));
  }
}
