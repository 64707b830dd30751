package io.tokenroll.protocol.certsrv;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HResultTest {
  @Test
  void values_matchWinerror() {
    assertEquals(0x80094012, HResult.CERTSRV_E_TEMPLATE_DENIED);
    assertEquals(-2146877422, HResult.CERTSRV_E_TEMPLATE_DENIED);
    assertEquals(0x80094004, HResult.parse("CERTSRV_E_PROPERTY_EMPTY"));
    assertEquals(0x80094800, HResult.parse("0x80094800"));
    assertEquals(0x80094811, HResult.parse("-2146875375"));
  }

  @Test
  void errorMessageText_withHresultString_appendsHexAndDecimal() {
    assertEquals("The requested property value is empty.",
        HResult.errorMessageText(HResult.CERTSRV_E_PROPERTY_EMPTY, 0));
    assertEquals("The requested property value is empty. 0x80094004 (-2146877436)",
        HResult.errorMessageText(HResult.CERTSRV_E_PROPERTY_EMPTY, OutputFlags.CR_GEMT_HRESULT_STRING));
    assertTrue(HResult.errorMessageText(0x80091234, 0).startsWith("Unknown error 0x80091234"));
  }

  @Test
  void caProperty_flagsAreTypeOrIndexed() {
    assertEquals(0x10003, CaProperty.CASIGCERT.flags());
    assertEquals(PropType.PROPTYPE_STRING, CaProperty.CANAME.flags());
    assertEquals(CaProperty.TEMPLATES, CaProperty.parse("CR_PROP_TEMPLATES"));
    assertEquals(CaProperty.CATYPE, CaProperty.parse("10"));
    assertEquals(Disposition.UNDER_SUBMISSION, Disposition.fromCode(5));
  }
}
