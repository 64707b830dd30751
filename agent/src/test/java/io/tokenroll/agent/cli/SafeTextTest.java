package io.tokenroll.agent.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Hostile-test finding 10: a server's Error text with terminal escapes was printed raw. */
class SafeTextTest {
  @Test
  void escapesAndBidiOverrides_areShown_notObeyed() {
    String hostile = "CA down\u001b[2J\u001b[31mPIN OK\u009b2J\u202eevil\u0007";
    String shown = SafeText.clean(hostile);
    for (char c : shown.toCharArray()) {
      assertFalse(SafeText.unsafe(c), "left in: " + (int) c);
    }
    assertTrue(shown.startsWith("CA down\\u001b[2J\\u001b[31mPIN OK\\u009b2J\\u202eevil\\u0007"), shown);
  }

  @Test
  void ordinaryText_lineBreaksAndNonLatinLetters_pass() {
    String text = "Zertifikat für Jürgen\n\t— 証明書 ✓";
    assertSame(text, SafeText.clean(text));
  }

  @Test
  void theWriter_cleansWhateverIsWrittenThroughIt() {
    StringWriter target = new StringWriter();
    var w = SafeText.writer(target);
    w.print("a\u001bb");
    w.write('\u001b');
    w.println("c");
    w.flush();
    assertEquals("a\\u001bb\\u001bc" + System.lineSeparator(), target.toString());
  }

  /** In --json output the visible form is a JSON escape: the document stays valid and reads back the same. */
  @Test
  void jsonStaysJson_andReadsBackAsTheSameText() throws Exception {
    String text = "deleted\u007f\u009b2J\u202e";
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("e", text));
    String printed = SafeText.clean(json);
    assertEquals(text, new com.fasterxml.jackson.databind.ObjectMapper().readTree(printed).get("e").asText());
  }
}
