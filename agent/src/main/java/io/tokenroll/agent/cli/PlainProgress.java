package io.tokenroll.agent.cli;

import io.tokenroll.agent.provision.CardResult;
import io.tokenroll.agent.provision.ProvisionListener;
import io.tokenroll.pkcs11.TokenInfo;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/** Provisioning's progress where nothing can be redrawn (a pipe, a CI log): one line per event, whole. */
final class PlainProgress implements ProvisionListener {
  private final PrintWriter err;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;

  PlainProgress(PrintWriter err) {
    this.err = err;
  }

  private synchronized void line(String text) {
    err.println(SafeText.field(text)); // one event, one line: a label cannot add another
    err.flush();
  }

  @Override
  public void planned(int total, int parallel) {
    this.total = total;
    line("provisioning " + total + " token(s), " + parallel + " at a time");
  }

  @Override
  public void started(TokenInfo token) {
    line(token.label() + ": started");
  }

  @Override
  public void step(TokenInfo token, String step) {
    line(token.label() + ": " + step);
  }

  @Override
  public void finished(CardResult r) {
    line("[" + done.incrementAndGet() + "/" + total + "] " + r.token() + ": " + r.outcome() + " in " + r.millis()
        + " ms" + (r.reason() == null ? "" : " — " + r.reason()));
  }
}
