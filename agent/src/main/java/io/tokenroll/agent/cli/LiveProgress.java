package io.tokenroll.agent.cli;

import io.tokenroll.agent.provision.CardResult;
import io.tokenroll.agent.provision.ProvisionListener;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * Provisioning's progress on a terminal, redrawn in place by JLine's {@link Display} (it computes the least
 * output that turns the old screen lines into the new): a line per card in progress — token, step, elapsed — and
 * an overall bar with the rate and the time left. Finished cards leave the live area as plain lines above it, so
 * the scrollback keeps every result. Redrawn at most ten times a second, from a timer thread.
 */
final class LiveProgress implements ProvisionListener, AutoCloseable {
  private final Terminal terminal;
  private final Display display;
  /** A card in progress: its label, when it started, its step now. */
  private static final class Line {
    final String label;
    final long since = System.nanoTime();
    String step = "starting";

    Line(String label) {
      this.label = label;
    }
  }

  /** By label and serial (factory cards may share a label; some have no serial). */
  private final Map<String, Line> running = new LinkedHashMap<>();
  /** The terminal's size, read at most once a second: with the exec provider each read runs stty. */
  private int width = 80;
  private int height = 24;
  private long sizedAt;
  private final long started = System.nanoTime();
  private final Thread ticker;
  private int total;
  private int done;
  private int failed;
  private volatile boolean closed;

  private LiveProgress(Terminal terminal) {
    this.terminal = terminal;
    this.display = new Display(terminal, false);
    this.ticker = new Thread(() -> {
      while (!closed) {
        redraw();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "provision-progress");
    ticker.setDaemon(true);
  }

  /** Live progress on stderr's terminal; null when stderr is not a terminal that can redraw. */
  static LiveProgress onTerminal() {
    try {
      Terminal t = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysErr)
          .provider("exec").dumb(true).nativeSignals(false).build();
      if (t.getType() == null || t.getType().startsWith(Terminal.TYPE_DUMB)
          || t.getWidth() > 0 && t.getWidth() < 20) {
        t.close();
        return null;
      }
      return new LiveProgress(t);
    } catch (IOException | RuntimeException e) {
      return null; // no terminal to draw on: plain lines
    }
  }

  @Override
  public synchronized void planned(int total, int parallel) {
    this.total = total;
    above("provisioning " + total + " token(s), " + parallel + " at a time");
    ticker.start();
  }

  @Override
  public synchronized void started(TokenInfo token) {
    running.put(key(token.label(), token.serial()), new Line(SafeText.field(token.label())));
  }

  @Override
  public synchronized void step(TokenInfo token, String step) {
    Line line = running.get(key(token.label(), token.serial()));
    if (line != null) {
      line.step = step;
    }
  }

  @Override
  public synchronized void finished(CardResult r) {
    running.remove(key(r.token(), r.serial()));
    done++;
    failed += r.outcome().isSuccess() ? 0 : 1;
    above(String.format("%-8s %s  %.1f s%s", r.outcome(), r.token(), r.millis() / 1000.0,
        r.reason() == null ? "" : "  " + r.reason()));
  }

  /** Prints a line for good above the live area (which is cleared, then drawn again below it). */
  private void above(String line) {
    display.update(List.of(), 0);
    terminal.writer().println(SafeText.field(line));
    terminal.writer().flush();
    display.reset();
    draw();
  }

  private synchronized void redraw() {
    if (!closed) {
      draw();
    }
  }

  private void draw() {
    long now = System.nanoTime();
    if (now - sizedAt > 1_000_000_000L) {
      // a terminal that does not say its size (a pty nobody sized) is taken as the classic 80 by 24
      org.jline.terminal.Size size = terminal.getSize();
      width = size.getColumns() > 0 ? size.getColumns() : 80;
      height = size.getRows() > 0 ? size.getRows() : 24;
      sizedAt = now;
    }
    display.resize(height, width);
    List<AttributedString> lines = new ArrayList<>();
    running.values().forEach(l -> lines.add(new AttributedString(fit(String.format("  %-24s %-24s %5.1f s",
        l.label, l.step, (now - l.since) / 1e9), width))));
    double seconds = (now - started) / 1e9;
    double rate = done / Math.max(seconds, 0.001);
    String eta = done == 0 ? "--" : String.format("%.0f s", (total - done) / Math.max(rate, 0.001));
    int barWidth = Math.max(10, Math.min(40, width - 60));
    int filled = total == 0 ? 0 : barWidth * done / total;
    lines.add(new AttributedString(fit(String.format("[%s%s] %d/%d  %.2f cards/s  left %s%s", "#".repeat(filled),
        " ".repeat(barWidth - filled), done, total, rate, eta, failed == 0 ? "" : "  " + failed + " not enrolled"),
        width)));
    display.update(lines, -1);
    terminal.flush();
  }

  private static String key(String label, String serial) {
    return label + '\u0000' + serial;
  }

  private static String fit(String s, int width) {
    return s.length() < width ? s : s.substring(0, width - 1);
  }

  /** Stops redrawing and leaves the last bar on the screen. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (ticker.isAlive()) {
        draw();
      }
      closed = true;
    }
    ticker.interrupt();
    terminal.writer().println();
    terminal.writer().flush();
    try {
      terminal.close();
    } catch (IOException e) {
      // the terminal is the process's; nothing to release
    }
  }
}
