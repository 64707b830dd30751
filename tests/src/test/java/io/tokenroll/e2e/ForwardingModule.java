package io.tokenroll.e2e;

import io.tokenroll.pkcs11.testing.Backends;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The PKCS#11 module in src/test/c/faulty_pkcs11.c, compiled once per test JVM: it forwards to a real module
 * (TOKENROLL_P11_TARGET), can fail one call as a card would (TOKENROLL_P11_FAULT), and can note when a program
 * first touched the token (TOKENROLL_P11_TRACE).
 */
final class ForwardingModule {
  private static Path library;

  private ForwardingModule() {
  }

  static synchronized Path library() {
    if (library == null) {
      Backends.requireInstalled("gcc", Path.of("/usr/bin/gcc"));
      Path built = Backends.privateDirectory("tokenroll-faulty-").resolve("faulty_pkcs11.so");
      Backends.run(List.of("gcc", "-shared", "-fPIC", "-O1", "-o", built.toString(),
          Path.of("src/test/c/faulty_pkcs11.c").toAbsolutePath().toString(), "-ldl"), Map.of(), 60);
      library = built;
    }
    return library;
  }
}
