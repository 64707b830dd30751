package io.tokenroll.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.tokenroll.agent.daemon.Agent;
import io.tokenroll.agent.daemon.AgentConfig;
import io.tokenroll.agent.daemon.CardReaders;
import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.EnrollmentState;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.pkcs11.testing.SoftHsm2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Card events through a real PC/SC stack (pcscd, the vpcd virtual reader, the vicc virtual card): a rule keyed on
 * the virtual card's ATR enrolls the SoftHSM2 token it names when the card is inserted, and not before; removing
 * the card is seen too, and so is a card inserted after pcscd restarted under the running agent. The PIV issue will
 * put a real card driver behind the same path.
 */
class PcscAgentE2eTest {
  @Test
  void insertingTheRulesCard_enrollsItsToken_andRemovingItIsSeen() throws Exception {
    try (VirtualCard reader = VirtualCard.start(); Stack s = new Stack("pcsc-agent")) {
      String json = """
          {"server": {"url": "%s", "trust": "%s",
                      "login": {"method": "basic", "user": "%s", "secretSource": "file:%s"}},
           "scanInterval": "PT30S", "pollInterval": "PT1S", "pollCeiling": "PT5S",
           "rules": [{"name": "card", "module": "%s", "match": "pkcs11:token=%s", "template": "Smart Card Logon EC",
                      "pinSource": "file:%s", "atr": "%s"}]}
          """.formatted(s.server.baseUri(), s.trust, s.user, s.password, SoftHsm2.LIBRARY, s.token.label(),
          s.token.userPinFile(), VirtualCard.ATR);
      AgentConfig cfg = AgentConfig.read(Files.writeString(s.dir.resolve("agent.json"), json));
      List<String> log = Collections.synchronizedList(new ArrayList<>());
      FileJournal journal = new FileJournal(s.state.resolve("enrollments"));
      Agent agent = new Agent(cfg, journal, s.state, l -> log.add(System.nanoTime() + " " + l.text()),
          Clock.systemUTC());
      try (CardReaders readers = CardReaders.start(agent::wake, m -> log.add(System.nanoTime() + " " + m))) {
        agent.watch(readers);
        try (RunningAgent running = RunningAgent.start(agent, "agent-pcsc")) {
          Thread.sleep(1500);
          assertTrue(journal.all().isEmpty(), "no card, nothing done (the scan interval is 30 s): " + log);
          long inserted = System.nanoTime();
          reader.insert();
          Optional<Enrollment> done = Optional.empty();
          for (int i = 0; i < 300 && done.isEmpty(); i++) {
            Thread.sleep(100);
            done = journal.all().stream().filter(e -> e.state == EnrollmentState.COMPLETED).findFirst();
          }
          assertTrue(done.isPresent(), "enrolled when the card came, long before the next scan: " + log);
          long seen = log.stream().filter(l -> l.contains("PC/SC: card " + VirtualCard.ATR + " in"))
              .map(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).findFirst().orElseThrow();
          System.out.println("pcsc: card seen " + (seen - inserted) / 1_000_000 + " ms after vicc started");
          assertEquals(1, s.objects(io.tokenroll.pkcs11.ObjectClass.PRIVATE_KEY).size());
          reader.remove();
          for (int i = 0; i < 100 && !readers.present().isEmpty(); i++) {
            Thread.sleep(100);
          }
          assertTrue(readers.present().isEmpty(), "the removal is seen: " + log);

          // pcscd restarts (an upgrade, a crash): the watcher builds its context again and still sees cards
          reader.restartPcscd();
          Thread.sleep(500);
          reader.insert();
          for (int i = 0; i < 400 && readers.present().isEmpty(); i++) {
            Thread.sleep(100);
          }
          assertFalse(readers.present().isEmpty(), "a card after pcscd restarted is seen: " + log);
          assertTrue(running.isAlive(), "the agent survived it");
        }
      }
    }
  }
}
