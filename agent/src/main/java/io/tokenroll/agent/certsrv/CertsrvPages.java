package io.tokenroll.agent.certsrv;

import io.tokenroll.protocol.certsrv.CertSrvException;
import io.tokenroll.protocol.certsrv.Disposition;
import io.tokenroll.protocol.certsrv.HResult;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the HTML of the web enrollment pages the way AD CS writes them and the known clients parse them
 * (reference §4.2): the issued page's {@code certnew.cer?ReqID=<n>&} links, the pending page's
 * {@code Your Request Id is <n>.}, the denied and error pages' {@code The disposition message is "…"} and
 * {@code 0x80094012 (-2146877422)}, certnew's {@code Disposition message:}, certcarc's {@code var nRenewals=<k>;}.
 *
 * <p>A page is trusted only when it says one thing: an issued link next to a denial, two different request ids,
 * an HRESULT whose hex and decimal forms disagree, or a page with none of the markers is refused with
 * ERROR_INVALID_DATA. Messages are decoded, stripped of control characters and shortened before anyone sees them.
 */
public final class CertsrvPages {
  static final int MAX_MESSAGE = 500;

  private static final int CI = Pattern.CASE_INSENSITIVE;
  private static final Pattern ISSUED_LINK = Pattern.compile("certnew\\.(?:cer|p7b)\\?ReqID=(\\d{1,10})&", CI);
  private static final Pattern REQUEST_ID = Pattern.compile("Your Request Id is (\\d{1,10})", CI);
  private static final Pattern DISPOSITION_MESSAGE = Pattern.compile(
      "The disposition message is \"([^\\r\\n<]{0,4000}?)\"\\.?[ \\t]*(?=<|\\r|\\n|$)", CI);
  private static final Pattern RETRIEVAL_MESSAGE = Pattern.compile("Disposition message:\\s*([^\\r\\n<]{0,4000})", CI);
  private static final Pattern UNEXPECTED_ERROR = Pattern.compile(
      "An unexpected error has occurred:?\\s*([^\\r\\n<]{0,4000})", CI);
  private static final Pattern HRESULT = Pattern.compile("(0x[0-9a-f]{8}) \\((-?\\d{1,10})\\)", CI);
  private static final Pattern HRESULT_IN_TEXT = Pattern.compile("\\b0x([0-9a-f]{8})\\b", CI);
  private static final Pattern PENDING_TITLE = Pattern.compile("Certificate Pending", CI);
  private static final Pattern DENIED_TITLE = Pattern.compile("Certificate Request Denied|request was denied", CI);
  private static final Pattern UNSUPPORTED_TEMPLATE = Pattern.compile("template that is not supported", CI);
  /** certrsob.asp: issued, but handed over some other way; the page names no request id. */
  private static final Pattern OUT_OF_BAND_TITLE = Pattern.compile("Certificate Issued Out Of Band", CI);
  private static final Pattern RENEWALS = Pattern.compile("var\\s+nRenewals\\s*=\\s*(\\d{1,6})\\s*;");
  private static final Pattern CA_NAME = Pattern.compile(
      "Certificate Services\\s*(?:</font>)?(?:\\s|&nbsp;)*--(?:\\s|&nbsp;)*([^\\r\\n<]{1,300})", CI);
  private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-f]{1,6}|#\\d{1,7}|[a-z]{2,6});", CI);

  /** An error page's HRESULT (S_OK when it shows none) and message. */
  public record ErrorReport(int status, String message) {
  }

  private CertsrvPages() {
  }

  /** The outcome certfnsh.asp (Mode=newreq or chkpnd) reports, or ERROR_INVALID_DATA for a page that is not one. */
  public static PageOutcome finishOutcome(String html, String page) throws CertSrvException {
    Integer issuedId = single(ISSUED_LINK, html, page, "issued request ids");
    Integer namedId = single(REQUEST_ID, html, page, "request ids");
    if (issuedId != null && namedId != null && !issuedId.equals(namedId)) {
      throw invalid(page, "names request " + namedId + " but links the certificate of request " + issuedId);
    }
    int id = issuedId != null ? issuedId : namedId != null ? namedId : 0;
    Integer code = hresult(html, page);
    String message = find(DISPOSITION_MESSAGE, html).map(CertsrvPages::clean).orElse(null);
    boolean pending = PENDING_TITLE.matcher(html).find();
    // An error page whose message is the policy module's denial is a denial (certrser.asp shows some of them).
    boolean denied = DENIED_TITLE.matcher(html).find()
        || message != null && message.regionMatches(true, 0, "Denied by", 0, 9);
    boolean failure = code != null && code != HResult.S_OK;

    if (issuedId != null) {
      if (pending || denied || failure) {
        throw invalid(page, "says both that the certificate was issued and that it was "
            + (pending ? "pending" : denied ? "denied" : "an error " + HResult.hexAndDecimal(code)));
      }
      return new PageOutcome(Disposition.CR_DISP_ISSUED, id, HResult.S_OK, message != null ? message : "Issued");
    }
    if (denied) {
      if (pending) {
        throw invalid(page, "says both that the request is pending and that it was denied");
      }
      boolean revoked = message != null && message.regionMatches(true, 0, "Revoked", 0, 7);
      int status = code != null ? code : codeIn(message).orElse(revoked ? HResult.S_OK : HResult.E_FAIL);
      return new PageOutcome(revoked ? Disposition.CR_DISP_REVOKED : Disposition.CR_DISP_DENIED, id, status,
          message != null ? message : HResult.errorMessageText(status, 0));
    }
    if (pending) {
      if (failure) {
        throw invalid(page, "says the request is pending but shows the error " + HResult.hexAndDecimal(code));
      }
      if (namedId == null) {
        throw invalid(page, "says the request is pending but names no request id");
      }
      return new PageOutcome(Disposition.CR_DISP_UNDER_SUBMISSION, id, HResult.S_OK,
          message != null ? message : "Taken Under Submission");
    }
    if (failure) {
      String text = message != null ? message
          : find(UNEXPECTED_ERROR, html).map(CertsrvPages::clean).filter(s -> !s.isEmpty())
          .orElse(HResult.errorMessageText(code, 0));
      return new PageOutcome(Disposition.CR_DISP_ERROR, id, code, text);
    }
    if (OUT_OF_BAND_TITLE.matcher(html).find()) {
      return new PageOutcome(Disposition.CR_DISP_ISSUED_OUT_OF_BAND, id, HResult.S_OK,
          message != null ? message : "Issued out of band");
    }
    if (UNSUPPORTED_TEMPLATE.matcher(html).find()) {
      return new PageOutcome(Disposition.CR_DISP_DENIED, id, HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE,
          message != null ? message : HResult.errorMessageText(HResult.CERTSRV_E_UNSUPPORTED_CERT_TYPE, 0));
    }
    throw invalid(page, "is neither an issued, pending, denied, out-of-band nor error page of AD CS web "
        + "enrollment");
  }

  /**
   * What an HTML page returned instead of a certificate, CRL or chain says went wrong: the HRESULT it shows and
   * its {@code Disposition message:} (or the error page's text). Empty when the page says neither.
   */
  public static Optional<ErrorReport> errorReport(String html, String page) throws CertSrvException {
    Integer code = hresult(html, page);
    Optional<String> message = find(RETRIEVAL_MESSAGE, html).or(() -> find(DISPOSITION_MESSAGE, html))
        .or(() -> find(UNEXPECTED_ERROR, html)).map(CertsrvPages::clean).filter(s -> !s.isEmpty());
    if (code == null && message.isEmpty()) {
      return Optional.empty();
    }
    int status = code != null ? code : codeIn(message.get()).orElse(HResult.S_OK);
    return Optional.of(new ErrorReport(status, message.orElse(HResult.errorMessageText(status, 0))));
  }

  /** certcarc.asp's {@code var nRenewals=<k>;}: the index of the newest CA certificate. */
  public static int renewals(String html) throws CertSrvException {
    Integer k = single(RENEWALS, html, "certcarc.asp", "nRenewals values");
    if (k == null) {
      throw new CertSrvException(HResult.ERROR_INVALID_DATA,
          "certcarc.asp answered a page without 'var nRenewals=<n>;': not the AD CS CA certificate page");
    }
    return k;
  }

  /** The CA name the pages show after their title ({@code Microsoft Active Directory Certificate Services -- CA}). */
  public static Optional<String> caName(String html) {
    return find(CA_NAME, html).map(CertsrvPages::clean).filter(s -> !s.isEmpty());
  }

  /** Entities decoded, control and direction-changing characters removed, whitespace collapsed, length capped. */
  static String clean(String raw) {
    Matcher m = ENTITY.matcher(raw);
    StringBuilder decoded = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(decoded, Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }
    m.appendTail(decoded);
    StringBuilder sb = new StringBuilder(Math.min(decoded.length(), MAX_MESSAGE + 1));
    boolean space = false;
    for (int i = 0; i < decoded.length() && sb.length() < MAX_MESSAGE; i++) {
      char c = decoded.charAt(i);
      boolean blank = Character.isWhitespace(c) || Character.isISOControl(c)
          || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
      if (blank) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.length() >= MAX_MESSAGE ? sb + "…" : sb.toString();
  }

  private static String entity(String name, String whole) {
    try {
      if (name.startsWith("#x") || name.startsWith("#X")) {
        return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
      }
      if (name.startsWith("#")) {
        return new String(Character.toChars(Integer.parseInt(name.substring(1))));
      }
    } catch (IllegalArgumentException e) {
      return " ";
    }
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      case "nbsp" -> " ";
      default -> whole;
    };
  }

  /** The page's one HRESULT in {@code 0x… (…)} form; null when it shows none. */
  private static Integer hresult(String html, String page) throws CertSrvException {
    Set<Integer> codes = new LinkedHashSet<>();
    Matcher m = HRESULT.matcher(html);
    while (m.find()) {
      int hex = (int) Long.parseLong(m.group(1).substring(2), 16);
      long decimal = Long.parseLong(m.group(2));
      if (decimal != hex) {
        throw invalid(page, "shows the error code " + m.group(1) + " with the decimal value " + m.group(2)
            + ", which is a different number");
      }
      codes.add(hex);
    }
    if (codes.size() > 1) {
      throw invalid(page, "shows several different error codes");
    }
    return codes.isEmpty() ? null : codes.iterator().next();
  }

  private static Optional<Integer> codeIn(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = HRESULT_IN_TEXT.matcher(text);
    return m.find() ? Optional.of((int) Long.parseLong(m.group(1), 16)) : Optional.empty();
  }

  private static Integer single(Pattern p, String html, String page, String what) throws CertSrvException {
    Set<Long> values = new LinkedHashSet<>();
    Matcher m = p.matcher(html);
    while (m.find()) {
      values.add(Long.parseLong(m.group(1)));
    }
    if (values.size() > 1) {
      throw invalid(page, "shows different " + what + " " + values);
    }
    if (values.isEmpty()) {
      return null;
    }
    long v = values.iterator().next();
    if (v > Integer.MAX_VALUE) {
      throw invalid(page, "shows " + what + " " + v + ", which is out of range");
    }
    return (int) v;
  }

  private static Optional<String> find(Pattern p, String html) {
    Matcher m = p.matcher(html);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static CertSrvException invalid(String page, String what) {
    return new CertSrvException(HResult.ERROR_INVALID_DATA, page + " answered a page that " + what + "; refused");
  }
}
