package io.tokenroll.agent.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build), or "development". */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"tokenroll " + (v == null ? "development build" : v),
        "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch")};
  }
}
