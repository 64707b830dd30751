package io.tokenroll.e2e;

import io.tokenroll.agent.daemon.Agent;

/** A background agent on a thread of its own for one test: started, then stopped and joined when closed. */
final class RunningAgent implements AutoCloseable {
  private final Agent agent;
  private final Thread thread;

  private RunningAgent(Agent agent, String name) {
    this.agent = agent;
    this.thread = new Thread(() -> {
      try {
        agent.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  static RunningAgent start(Agent agent, String name) {
    RunningAgent r = new RunningAgent(agent, name);
    r.thread.start();
    return r;
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    agent.stop();
    thread.join(30_000);
  }
}
