package io.tokenroll.pkcs11.piv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenroll.pkcs11.Curve;
import io.tokenroll.pkcs11.KeySpec;
import java.util.Arrays;
import java.util.Map;

/**
 * What a PIV card sends, read by the driver: data objects (the CHUID, a slot's certificate object, compressed or
 * not) and the public key of a generation. Refused with an IllegalArgumentException (or, for a key, a
 * GeneralSecurityException), or read — never another exception, never more than the input holds.
 */
class PivAnswersFuzzTest {
  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void read(byte[] data) {
    try {
      Map<Integer, byte[]> values = Tlv.read(data);
      for (Map.Entry<Integer, byte[]> v : values.entrySet()) {
        if (v.getValue().length > data.length) {
          throw new AssertionError("a value longer than its input");
        }
        byte[] again = Tlv.read(Tlv.of(v.getKey(), v.getValue())).get(v.getKey());
        if (!Arrays.equals(again, v.getValue())) {
          throw new AssertionError("tag " + Integer.toHexString(v.getKey()) + " does not read back");
        }
      }
    } catch (IllegalArgumentException refused) {
      // refused as it should be
    }
    try {
      PivObjects.guid(data);
    } catch (IllegalArgumentException refused) {
      // not a CHUID
    }
    try {
      PivObjects.certificate(data);
    } catch (IllegalArgumentException refused) {
      // not a certificate object
    }
    for (KeySpec spec : new KeySpec[] {KeySpec.rsa(2048), KeySpec.ec(Curve.P256)}) {
      try {
        PivKeys.fromGenerated(data, spec);
      } catch (IllegalArgumentException | java.security.GeneralSecurityException refused) {
        // not a public key of that spec
      }
    }
  }
}
