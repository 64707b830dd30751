package io.tokenroll.agent.provision;

/** Told what each card is doing while a provisioning run goes on; called from the workers' threads. */
public interface ProvisionListener {
  /** The run found its cards: {@code total} of them will be reported. */
  void planned(int total, int parallel);

  /** A worker took the card. */
  void started(io.tokenroll.pkcs11.TokenInfo token);

  /** The card's enrollment is at {@code step} now. */
  void step(io.tokenroll.pkcs11.TokenInfo token, String step);

  /** The card is done, one way or another. */
  void finished(CardResult result);
}
