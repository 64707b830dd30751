package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, as {@code bin/tokenroll demo} runs it: the assembled jar, a JVM of its own. */
class DemoE2eTest {
  @Test
  void demo_enrollsTwiceOnAFreshToken_showsWhatItInstalled_andLeavesNothingBehind() throws Exception {
    Cli run = ChildProcess.run(Map.of(), List.of("demo"));
    assertEquals(0, run.exitCode(), run.out());
    String out = run.out();
    assertEquals(2, count(out, "\\): COMPLETED"), out);
    assertEquals(2, count(out, "(?m)^  item 1: INSTALLED"), out); // the summary; progress lines are unindented
    assertEquals(2, count(out, "(?m)^private-key .*never-extractable"), out);
    assertEquals(2, count(out, "(?m)^certificate .*\\(user, serial"), out);
    assertTrue(out.contains("(authority, serial"), out);
    Matcher dir = Pattern.compile("in (/\\S+tokenroll-demo-\\S+)").matcher(out);
    assertTrue(dir.find(), out);
    assertFalse(Files.exists(Path.of(dir.group(1))), "the demo token directory is removed: " + dir.group(1));
  }

  private static int count(String text, String regex) {
    return (int) Pattern.compile(regex).matcher(text).results().count();
  }
}
