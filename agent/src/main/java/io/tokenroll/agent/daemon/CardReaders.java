package io.tokenroll.agent.daemon;

import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.TerminalFactory;
import jnasmartcardio.Smartcardio;

/**
 * The cards in the PC/SC readers (pcscd, through jnasmartcardio), and a wake-up for the agent when one comes or
 * goes. One thread waits in SCardGetStatusChange — no polling — and reads each present card's ATR. When pcscd is
 * gone or restarts, the context is built again after a pause that doubles to 30 s: never a busy loop.
 */
public final class CardReaders implements AutoCloseable {
  /** A card in a reader: the reader's name and the card's ATR (upper-case hex). */
  public record Card(String reader, String atr) {
  }

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final Runnable onChange;
  private final Consumer<String> log;
  private final Thread watcher;
  private volatile Set<Card> present = Set.of();
  private volatile boolean closed;

  private CardReaders(Runnable onChange, Consumer<String> log) {
    this.onChange = onChange;
    this.log = log;
    this.watcher = new Thread(this::watch, "tokenroll-pcsc");
    this.watcher.setDaemon(true);
  }

  /** Starts watching; {@code onChange} runs (on the watcher's thread) each time the set of cards changes. */
  public static CardReaders start(Runnable onChange, Consumer<String> log) {
    CardReaders r = new CardReaders(onChange, log);
    r.watcher.start();
    return r;
  }

  /** The cards present now. */
  public Set<Card> present() {
    return present;
  }

  /** Whether a card whose ATR matches {@code atr} is in a reader now. */
  public boolean anyMatches(Pattern atr) {
    return present.stream().anyMatch(c -> atr.matcher(c.atr()).matches());
  }

  private void watch() {
    Duration pause = Duration.ofSeconds(1);
    while (!closed) {
      try {
        CardTerminals terminals = TerminalFactory.getInstance("PC/SC", null, new Smartcardio()).terminals();
        terminals.waitForChange(10); // primes the reader states
        refresh(terminals);
        pause = Duration.ofSeconds(1);
        while (!closed) {
          if (terminals.waitForChange(WAIT.toMillis())) {
            refresh(terminals);
          }
        }
      } catch (CardException | java.security.NoSuchAlgorithmException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (!present.isEmpty()) {
          present = Set.of();
          onChange.run();
        }
        log.accept("PC/SC: " + e.getMessage() + " (pcscd not running, or no reader); looking again in "
            + pause.toSeconds() + " s");
        sleep(pause);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
  }

  private void refresh(CardTerminals terminals) throws CardException {
    Set<Card> now = new HashSet<>();
    List<CardTerminal> list = terminals.list();
    for (CardTerminal t : list) {
      if (!t.isCardPresent()) {
        continue;
      }
      try {
        var card = t.connect("*");
        try {
          now.add(new Card(t.getName(), HexFormat.of().withUpperCase().formatHex(card.getATR().getBytes())));
        } finally {
          card.disconnect(false);
        }
      } catch (CardException e) {
        log.accept("PC/SC: the card in " + t.getName() + " cannot be read: " + e.getMessage());
      }
    }
    if (!now.equals(present)) {
      Set<Card> before = present;
      present = Set.copyOf(now);
      now.stream().filter(c -> !before.contains(c)).forEach(c -> log.accept("PC/SC: card " + c.atr() + " in "
          + c.reader()));
      before.stream().filter(c -> !now.contains(c)).forEach(c -> log.accept("PC/SC: card " + c.atr() + " left "
          + c.reader()));
      onChange.run();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
  }
}
