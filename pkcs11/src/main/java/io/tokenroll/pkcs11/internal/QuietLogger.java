package io.tokenroll.pkcs11.internal;

import java.lang.System.Logger.Level;
import org.xipki.pkcs11.wrapper.Logger;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * Routes the wrapper's logging (which prints a licence banner and every C_* call at INFO on stdout) to
 * {@link System.Logger} at TRACE, so stdout carries only tokenroll's results and a verbose run shows tokenroll's
 * own messages; the wrapper's appear only when the "org.xipki.pkcs11" logger is set to FINEST.
 */
final class QuietLogger implements Logger {
  private static final System.Logger LOG = System.getLogger("org.xipki.pkcs11");

  private QuietLogger() {
  }

  static void install() {
    StaticLogger.setLogger(new QuietLogger());
  }

  private static void log(Level level, String format, Object... args) {
    if (LOG.isLoggable(level)) {
      StringBuilder sb = new StringBuilder();
      int arg = 0;
      int i = 0;
      while (i < format.length()) {
        if (format.startsWith("{}", i) && arg < args.length) {
          sb.append(args[arg++]);
          i += 2;
        } else {
          sb.append(format.charAt(i++));
        }
      }
      LOG.log(level, sb.toString());
    }
  }

  @Override
  public void info(String format, Object... arguments) {
    log(Level.TRACE, format, arguments);
  }

  @Override
  public void warn(String format, Object... arguments) {
    log(Level.TRACE, format, arguments);
  }

  @Override
  public void error(String format, Object... arguments) {
    log(Level.TRACE, format, arguments);
  }

  @Override
  public void debug(String format, Object... arguments) {
    log(Level.TRACE, format, arguments);
  }

  @Override
  public void trace(String format, Object... arguments) {
    log(Level.TRACE, format, arguments);
  }

  @Override
  public boolean isDebugEnabled() {
    return LOG.isLoggable(Level.TRACE);
  }

  @Override
  public boolean isInfoEnabled() {
    return LOG.isLoggable(Level.TRACE);
  }

  @Override
  public boolean isWarnEnabled() {
    return LOG.isLoggable(Level.TRACE);
  }

  @Override
  public boolean isTraceEnabled() {
    return LOG.isLoggable(Level.TRACE);
  }
}
