package io.tokenroll.agent.enroll;

import io.tokenroll.agent.encoding.Pem;
import io.tokenroll.agent.http.Credentials;
import io.tokenroll.agent.http.HttpTransport;
import io.tokenroll.agent.http.PasswordSource;
import io.tokenroll.agent.http.RetryPolicy;
import io.tokenroll.agent.http.ServerAddress;
import io.tokenroll.agent.http.TlsSettings;
import io.tokenroll.agent.journal.FileJournal;
import io.tokenroll.agent.mimcm.MimCmClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Assembles what runs one enrollment — server client, token access, machine, runner — from its journal entry. */
public final class EnrollmentContext implements AutoCloseable {
  /**
   * The largest server answer accepted; a certificatedata answer with a few chains is tens of kilobytes. Kept well
   * under what the journal reads back ({@code BoundedJson.MAX_STRING}), since an answer is journaled before it is
   * installed: an answer written that could not be read again could be neither installed nor abandoned.
   */
  public static final long MAX_ANSWER = 4L * 1024 * 1024;

  private final ModuleTokenAccess token;
  private final MimCmClient cm;
  private final EnrollmentRunner runner;

  public EnrollmentContext(Enrollment e, FileJournal journal, Path stateDir, RetryPolicy retry, Duration timeout,
                           boolean writeCas, Consumer<String> progress) throws IOException, GeneralSecurityException {
    if (e.server != null && ServerAddress.hasUserInfo(e.server)) {
      // an older tokenroll journaled a URL with a user and password in it: they leave the journal now
      e.server = ServerAddress.withoutUserInfo(e.server);
      journal.store(e);
      progress.accept("removed the user and password from enrollment " + e.id + "'s journaled server URL; give "
          + "them with --user and --password-source if the server needs them");
    }
    List<X509Certificate> anchors = anchors(e.trustFile);
    Credentials credentials = e.login.open();
    char[] keyStorePassword = e.clientCertificate == null ? null
        : PasswordSource.read(e.clientCertificatePasswordSource, "password of " + e.clientCertificate);
    TlsSettings tls = new TlsSettings(anchors, e.insecure,
        e.clientCertificate == null ? null : Path.of(e.clientCertificate), keyStorePassword);
    // The runner retries a failed step from its journaled state, with backoff; the transport under it tries once,
    // or the two would multiply (five tries of five tries).
    RetryPolicy once = RetryPolicy.NONE;
    // the enrollment id is the correlation id: in the request's comment, in this header, in the agent's log
    this.cm = e.protocol == ServerProtocol.CERTSRV ? null : new MimCmClient(new HttpTransport(URI.create(e.server),
        tls, credentials, once, timeout, MAX_ANSWER, java.util.Map.of("X-Correlation-ID", e.id.value())));
    this.token = new ModuleTokenAccess(e, io.tokenroll.agent.journal.TokenLock.defaultDirectory(),
        cm == null ? null : ServerPins.keptBy(cm, e))
        .audited(io.tokenroll.agent.journal.AuditLog.besides(journal.directory()));
    IssuerTrust trust = e.issuerTrustFile == null ? new IssuerTrust(anchors, false)
        : new IssuerTrust(anchors(e.issuerTrustFile), true);
    EnrollmentMachine machine = cm != null
        ? EnrollmentMachine.mimCm(journal, cm, token, trust, writeCas, progress)
        : EnrollmentMachine.certsrv(journal, new io.tokenroll.agent.certsrv.CertsrvClient(
            new io.tokenroll.agent.certsrv.CertsrvConnector(tls, credentials, once, timeout, MAX_ANSWER)), token,
            trust, writeCas, progress);
    this.runner = new EnrollmentRunner(journal, machine, retry, progress);
  }

  public static List<X509Certificate> anchors(String trustFile) throws IOException, GeneralSecurityException {
    return trustFile == null ? List.of() : Pem.certificates(Files.readAllBytes(Path.of(trustFile)));
  }

  public EnrollmentRunner runner() {
    return runner;
  }

  public MimCmClient cm() {
    return cm;
  }

  public ModuleTokenAccess token() {
    return token;
  }

  @Override
  public void close() {
    token.close();
  }
}
