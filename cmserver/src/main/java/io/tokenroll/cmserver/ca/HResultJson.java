package io.tokenroll.cmserver.ca;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import io.tokenroll.protocol.certsrv.HResult;
import java.io.IOException;

/** Reads an HRESULT in configuration as a number, {@code "0x80094012"} or a name like CERTSRV_E_TEMPLATE_DENIED. */
final class HResultJson extends JsonDeserializer<Integer> {
  @Override
  public Integer deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    try {
      return HResult.parse(p.getValueAsString());
    } catch (IllegalArgumentException e) {
      return (Integer) ctx.handleWeirdStringValue(Integer.class, p.getValueAsString(), e.getMessage());
    }
  }
}
