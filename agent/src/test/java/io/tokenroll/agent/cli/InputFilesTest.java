package io.tokenroll.agent.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.encoding.DerBoundsTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile-test finding 9: files a user names, and the shapes of input 'inspect' accepted. */
class InputFilesTest {
  @TempDir
  Path tmp;

  private static byte[] vector(String name) throws Exception {
    try (InputStream in = InputFilesTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aDirectory_nothing_andAnEmptyFile_areClearInputErrors() throws Exception {
    CliRun dir = CliRun.of("inspect", tmp.toString());
    assertEquals(ExitCodes.INVALID_INPUT, dir.exitCode(), dir.toString());
    assertTrue(dir.err().contains("is a directory"), dir.err());
    CliRun missing = CliRun.of("inspect", tmp.resolve("nope").toString());
    assertEquals(ExitCodes.INVALID_INPUT, missing.exitCode());
    assertTrue(missing.err().contains("no such file"), missing.err());
    CliRun empty = CliRun.of("inspect", "/dev/null");
    assertEquals(ExitCodes.INVALID_INPUT, empty.exitCode());
    assertTrue(empty.err().contains("is empty"), empty.err());
    for (String f : new String[] {tmp.toString(), tmp.resolve("nope").toString()}) {
      CliRun imp = CliRun.of("import-cert", "--token", "anything", f);
      assertEquals(ExitCodes.INVALID_INPUT, imp.exitCode(), imp.toString());
    }
  }

  /** Process substitution, {@code <(…)}, hands the command a pipe: it must be read like a file. */
  @Test
  void aPipe_isReadLikeAFile() throws Exception {
    Path fifo = tmp.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0);
    byte[] chain = vector("mimdocs_example_chain.pem");
    Thread writer = new Thread(() -> {
      try {
        Files.write(fifo, chain);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    CliRun run = CliRun.of("inspect", fifo.toString());
    writer.join(10_000);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Microsoft Corporate Root CA"), run.out());
  }

  @Test
  void aPemBundle_showsEveryCertificate() throws Exception {
    Path pem = tmp.resolve("chain.pem");
    Files.write(pem, vector("mimdocs_example_chain.pem"));
    CliRun run = CliRun.of("inspect", pem.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("PEM (3 blocks)"), run.out());
    assertEquals(3, run.out().split("subject: ", -1).length - 1, run.out());
  }

  @Test
  void certificatedataAnswersOfTheWrongShape_areRefused() throws Exception {
    for (String json : new String[] {"[\"a\",\"b\"]", "[1,2]", "[null]", "[[]]", "[{}]", "[]",
        "[{\"isPkcs7\":true}]", "[{\"isPkcs7\":true,\"Pkcs7\":\"!!\"}]"}) {
      Path f = tmp.resolve("answer.json");
      Files.writeString(f, json);
      CliRun run = CliRun.of("inspect", f.toString());
      assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), json + "\n" + run);
    }
    Path good = tmp.resolve("good.json");
    Files.write(good, vector("mimdocs_certificatedata_response.json"));
    CliRun ok = CliRun.of("inspect", good.toString());
    assertTrue(ok.out().contains("certificatedata answer"), ok.toString());
  }

  @Test
  void deeplyNestedAsn1_isRefusedWithAMessage_notAStackTrace() throws Exception {
    Path deep = tmp.resolve("deep.der");
    Files.write(deep, DerBoundsTest.nested(2000));
    CliRun run = CliRun.of("inspect", deep.toString());
    assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("nested deeper"), run.err());
    assertTrue(run.err().lines().count() < 3, "one line, no stack trace: " + run.err());
  }

  @Test
  void anInputOverTheCap_isRefused() throws Exception {
    Path big = tmp.resolve("big.json");
    Files.write(big, new byte[InputFiles.MAX_BYTES + 1]);
    CliRun run = CliRun.of("inspect", big.toString());
    assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("larger than"), run.err());
  }
}
