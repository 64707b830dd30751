package io.tokenroll.agent.enroll;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenroll.agent.mimcm.Models.CertificateItem;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The server's certificatedata answer as the journal keeps it until it is installed. */
final class AnswerCodec {
  private static final ObjectMapper JSON = io.tokenroll.agent.encoding.BoundedJson.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private AnswerCodec() {
  }

  static String write(List<CertificateItem> items) {
    try {
      return JSON.writeValueAsString(items);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<CertificateItem> read(String json) throws EnrollmentException {
    if (json == null) {
      throw new EnrollmentException("the journal holds no server answer to install");
    }
    try {
      return Arrays.asList(JSON.readValue(json, CertificateItem[].class));
    } catch (IOException e) {
      throw new EnrollmentException("the journaled server answer is unreadable: " + e.getMessage());
    }
  }
}
