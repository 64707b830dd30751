package io.tokenroll.cmserver.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class LeafCertificatesTest {
  @Test
  void time_encodesAsBouncyCastlesTimeOfDate() throws Exception {
    for (String t : new String[] {"2026-11-23T13:45:36.373Z", "2026-01-01T00:00:00Z", "1949-12-31T23:59:59.999Z",
        "1950-01-01T00:00:00Z", "2049-12-31T23:59:59.500Z", "2050-01-01T00:00:00Z", "2099-06-30T12:34:56Z",
        "1999-12-31T23:59:59.001Z"}) {
      Instant i = Instant.parse(t);
      assertArrayEquals(new Time(Date.from(i)).getEncoded(ASN1Encoding.DER),
          LeafCertificates.time(i).getEncoded(ASN1Encoding.DER), t);
    }
  }
}
