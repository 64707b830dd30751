package io.tokenroll.agent.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
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

  /** A label with a line break would end a progress line or a table row and print a forged one after it. */
  @Test
  void aOneLineField_showsLineBreaksAndTabs_andTablesAndProgressKeepOneLineEach() {
    String label = "z\n[9/9] boss-01: ENROLLED in 5 ms\tx";
    assertEquals("z\\u000a[9/9] boss-01: ENROLLED in 5 ms\\u0009x", SafeText.field(label));
    StringWriter table = new StringWriter();
    new Output.Table("TOKEN", "RESULT").row(label, "FAILED").row("desk-01", "ENROLLED").print(new PrintWriter(table));
    assertEquals(3, table.toString().lines().count(), table.toString());
    StringWriter err = new StringWriter();
    PlainProgress progress = new PlainProgress(new PrintWriter(err));
    progress.started(new io.tokenroll.pkcs11.TokenInfo(1, "slot", label, "0001", "maker", "model",
        java.util.Set.of(), null, null, java.util.List.of()));
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("\\u000a[9/9]"), err.toString());
  }
}
