package io.tokenroll.cmserver.certsrv;

import io.tokenroll.cmserver.http.Response;
import io.tokenroll.protocol.certsrv.HResult;

/**
 * The HTML of the Web Enrollment pages, reduced to what clients parse (reference §4.2): the issued page's
 * {@code certnew.cer?ReqID=<n>&} links, the pending page's {@code Your Request Id is <n>.}, the denied and error
 * pages' {@code The disposition message is "…"} and {@code 0x80094012 (-2146877422)}, and the retrieval error
 * page's {@code Disposition message:}. Every page is a 200, as the ASP pages answer.
 */
final class CertSrvPages {
  private static final String HEAD = "<html><head><title>Microsoft Active Directory Certificate Services</title>"
      + "</head><body>\r\n<font ID=locPageTitle>Microsoft Active Directory Certificate Services</font> -- ";

  private CertSrvPages() {
  }

  static Response home(String caName) {
    return page(caName, "<P ID=locPageTitle> <B> Welcome </B>\r\n<P>Use this Web site to request a certificate "
        + "for your Web browser, e-mail client, or other program.\r\n<A Href=\"certrqus.asp\">Request a "
        + "certificate</A>\r\n<A Href=\"certckpn.asp\">View the status of a pending certificate request</A>\r\n"
        + "<A Href=\"certcarc.asp\">Download a CA certificate, certificate chain, or CRL</A>\r\n");
  }

  static Response issued(String caName, int requestId) {
    return page(caName, "<P ID=locPageTitle> <B> Certificate Issued </B>\r\n"
        + "<P ID=locPageDesc>The certificate you requested was issued to you.\r\n"
        + "<Script Language=\"JavaScript\">\r\n"
        + "\tfunction getEncoding() { return document.UIForm.rbEncoding[0].checked ? \"Enc=bin\" : \"Enc=b64\"; }\r\n"
        + "\tsPKCS7=\"certnew.p7b?ReqID=" + requestId + "&\"+getEncoding();\r\n"
        + "\tsCert=\"certnew.cer?ReqID=" + requestId + "&\"+getEncoding();\r\n"
        + "</Script>\r\n"
        + "<A Href=\"certnew.cer?ReqID=" + requestId + "&amp;Enc=bin\">Download certificate</A>\r\n"
        + "<A Href=\"certnew.p7b?ReqID=" + requestId + "&amp;Enc=bin\">Download certificate chain</A>\r\n");
  }

  static Response pending(String caName, int requestId) {
    return page(caName, "<P ID=locPageTitle> <B> Certificate Pending </B>\r\n"
        + "<P ID=locPageDesc>Your certificate request has been received. However, you must wait for an "
        + "administrator to issue the certificate you requested.\r\n"
        + "<P>Your Request Id is " + requestId + ".\r\n"
        + "<P>Please return to this web site in a day or two to retrieve your certificate.\r\n");
  }

  static Response denied(String caName, int requestId, String message, int hresult) {
    return page(caName, "<P ID=locPageTitle> <B> Certificate Request Denied </B>\r\n"
        + "<P ID=locPageDesc>Your certificate request was denied.\r\n"
        + "<P>Your Request Id is " + requestId + ". The disposition message is \"" + html(message) + "\".\r\n"
        + "<P>Contact your administrator for further information.\r\n"
        + errorCode(hresult));
  }

  static Response error(String caName, String message, int hresult) {
    return page(caName, "<P ID=locPageTitle> <B> Error </B>\r\n"
        + "<P ID=locPageDesc>An unexpected error has occurred: " + html(message) + "\r\n"
        + "<P>The disposition message is \"" + html(HResult.errorMessageText(hresult, 0)) + "\".\r\n"
        + errorCode(hresult));
  }

  /** What certnew.cer / .p7b show instead of a certificate: the disposition, then the error code. */
  static Response notRetrievable(String caName, String message, int hresult) {
    return page(caName, "<P ID=locPageTitle> <B> Error </B>\r\n"
        + "<P ID=locPageDesc>The certificate could not be retrieved.\r\n"
        + "<P>Disposition message: " + html(message) + "\r\n" + errorCode(hresult));
  }

  static Response caPage(String caName, int renewals) {
    return page(caName, "<P ID=locPageTitle> <B> Download a CA Certificate, Certificate Chain, or CRL </B>\r\n"
        + "<Script Language=\"JavaScript\">\r\n\tvar nRenewals=" + renewals + ";\r\n</Script>\r\n"
        + "<A Href=\"certnew.cer?ReqID=CACert&amp;Renewal=" + renewals + "&amp;Enc=bin\">Download CA "
        + "certificate</A>\r\n"
        + "<A Href=\"certnew.p7b?ReqID=CACert&amp;Renewal=" + renewals + "&amp;Enc=bin\">Download CA certificate "
        + "chain</A>\r\n"
        + "<A Href=\"certcrl.crl?Type=base&amp;Renewal=" + renewals + "&amp;Enc=bin\">Download latest base CRL</A>\r\n"
        + "<A Href=\"certcrl.crl?Type=delta&amp;Renewal=" + renewals + "&amp;Enc=bin\">Download latest delta CRL"
        + "</A>\r\n");
  }

  static Response notFound() {
    return Response.html(404, "<html><body><h2>404 - File or directory not found.</h2></body></html>");
  }

  private static String errorCode(int hresult) {
    if (hresult == HResult.S_OK) {
      return "";
    }
    return "<P>Error: <LocID ID=locErrorCode>" + html(HResult.errorMessageText(hresult, 0)) + " "
        + HResult.hexAndDecimal(hresult) + "</LocID>\r\n";
  }

  private static Response page(String caName, String body) {
    return Response.html(200, HEAD + html(caName) + "\r\n" + body + "</body></html>\r\n");
  }

  private static String html(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
