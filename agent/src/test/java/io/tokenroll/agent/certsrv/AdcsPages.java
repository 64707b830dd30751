package io.tokenroll.agent.certsrv;

/**
 * Web enrollment pages in the shapes AD CS writes them (certrsis.asp, certrspn.asp, certrsdn.asp, certrser.asp,
 * certnew.cer's error page, certcarc.asp; reference §4.1–4.3), reduced to their markup around what clients read.
 */
final class AdcsPages {
  private AdcsPages() {
  }

  static final String HEAD = """
      <HTML><Head>
      <Meta HTTP-Equiv="Content-Type" Content="text/html; charset=UTF-8">
      <Title>Microsoft Active Directory Certificate Services</Title>
      </Head><Body BgColor=#FFFFFF Link=#0000FF VLink=#0000FF ALink=#0000FF><Font ID=locPageFont Face="Arial">
      <Table Border=0 CellSpacing=0 CellPadding=4 Width=100% BgColor=#008080>
      <TR>
      \t<TD><Font Color=#FFFFFF><LocID ID=locMSCertSrv><Font Face="Arial" Size=-1><B><I>Microsoft</I></B> \
      Active Directory Certificate Services &nbsp;--&nbsp; contoso-DC01-CA</Font></LocID></Font></TD>
      \t<TD ID=locHomeAlign Align=Right><A Href="/certsrv"><Font Color=#FFFFFF><LocID ID=locHomeLink>\
      <Font Face="Arial" Size=-1><B>Home</B></Font></LocID></Font></A></TD>
      </TR>
      </Table>
      """;

  static String issued(int id) {
    return HEAD + """
        <P ID=locPageTitle> <B> Certificate Issued </B>
        <P ID=locPageDesc>The certificate you requested was issued to you.
        <P>
        <Input Type=Radio ID=rbDerEnc Name=rbEncoding><Label For=rbDerEnc>DER encoded</Label>
        <A Href="certnew.cer?ReqID=%1$d&amp;Enc=bin"><LocID ID=locDownloadCert1>Download certificate</LocID></A><Br>
        <A Href="certnew.p7b?ReqID=%1$d&amp;Enc=bin"><LocID ID=locDownloadCertChain1>Download chain</LocID></A>
        <Script Language="JavaScript">
        \tfunction getEncoding() { return document.UIForm.rbEncoding[0].checked ? "Enc=bin" : "Enc=b64"; }
        \tfunction handleGetCert() { location="certnew.cer?ReqID=%1$d&"+getEncoding(); }
        \tfunction handleGetChain() { location="certnew.p7b?ReqID=%1$d&"+getEncoding(); }
        </Script>
        </Font></Body></HTML>
        """.formatted(id);
  }

  /** The minimal fake certfnsh.asp found in a public repository (reference §4.3): a CACert link besides the id. */
  static String fakeIssued(int id) {
    return """
        <html><body><script>
        location="certnew.cer?ReqID=CACert&amp;Renewal=0&amp;Enc=b64";
        sPKCS7="certnew.p7b?ReqID=%1$d&"+getEncoding();
        sCert="certnew.cer?ReqID=%1$d&"+getEncoding();
        </script></body></html>
        """.formatted(id);
  }

  static String pending(int id) {
    return HEAD + """
        <P ID=locPageTitle> <B> Certificate Pending </B>
        <P ID=locPageDesc>Your certificate request has been received. However, you must wait for an administrator \
        to issue the certificate you requested.
        <P ID=locReqIdMsg>Your Request Id is %d.
        <P ID=locReturn>Please return to this web site in a day or two to retrieve your certificate.
        </Font></Body></HTML>
        """.formatted(id);
  }

  static String denied(int id) {
    return HEAD + """
        <P ID=locPageTitle> <B> Certificate Request Denied </B>
        <P ID=locPageDesc>Your certificate request was denied.
        <P>Your Request Id is %d. The disposition message is "Denied by Policy Module  0x80094012, The \
        permissions on the certificate template do not allow the current user to enroll for this type of \
        certificate.".
        <P ID=locContactAdmin> Contact your administrator for further information.
        <P><Table><TR><TD><LocID ID=locErrorCode>Error Code:</LocID></TD>
        <TD><Font Face="Arial" Size=-1>0x80094012 (-2146877422)</Font></TD></TR></Table>
        </Font></Body></HTML>
        """.formatted(id);
  }

  /** certrser.asp for a template the CA does not offer: an error page whose message is the policy's denial. */
  static final String UNSUPPORTED_TEMPLATE = HEAD + """
      <P ID=locPageTitle> <B> Error </B>
      <P ID=locPageDesc> An unexpected error has occurred:
      <P><LocID ID=locDispMsg>The disposition message is "Denied by Policy Module  0x80094800, The request was \
      for a certificate template that is not supported by the Active Directory Certificate Services policy: \
      WebServer2.".</LocID>
      <P><Table><TR><TD><LocID ID=locErrorCode>Error Code:</LocID></TD>
      <TD><Font Face="Arial" Size=-1>0x80094800 (-2146875392)</Font></TD></TR></Table>
      </Font></Body></HTML>
      """;

  /** certrser.asp for a request the CA cannot parse: an error, no request id. */
  static final String INVALID_REQUEST = HEAD + """
      <P ID=locPageTitle> <B> Error </B>
      <P ID=locPageDesc> An unexpected error has occurred: The data is invalid.
      <P><Table><TR><TD><LocID ID=locErrorCode>Error Code:</LocID></TD>
      <TD><Font Face="Arial" Size=-1>0x8007000d (-2147024883)</Font></TD></TR></Table>
      </Font></Body></HTML>
      """;

  /** What certnew.cer shows for a request that has no certificate (yet). */
  static String notRetrievable(String message, String code) {
    return HEAD + """
        <P ID=locPageTitle> <B> Error </B>
        <P ID=locPageDesc>The certificate could not be retrieved.
        <P>Disposition message: %s
        %s</Font></Body></HTML>
        """.formatted(message, code == null ? "" : "<P>Error: <LocID ID=locErrorCode>" + code + "</LocID>\n");
  }

  static String caPage(int renewals) {
    return HEAD + """
        <P ID=locPageTitle> <B> Download a CA Certificate, Certificate Chain, or CRL </B>
        <Script Language="JavaScript">
        \tvar nRenewals=%1$d;
        \tvar sCAName="contoso-DC01-CA";
        </Script>
        <A Href="certnew.cer?ReqID=CACert&amp;Renewal=%1$d&amp;Enc=bin">Download CA certificate</A>
        """.formatted(renewals);
  }
}
