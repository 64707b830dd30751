package io.tokenroll.agent.encoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON parser settings for everything read from outside (server answers, the journal, files a user names):
 * Jackson's limits, made tight enough for what MIM CM and the journal really hold.
 */
public final class BoundedJson {
  /** A certificatedata answer is 3 levels deep, a journal entry 4; Jackson's default is 1,000. */
  public static final int MAX_DEPTH = 32;
  /**
   * A journaled answer is one string of up to twice the largest answer accepted (4 MiB, every quote escaped); a
   * base64 PFX or PKCS#7 field is far shorter. Jackson's default is 20 MB.
   */
  public static final int MAX_STRING = 16 << 20;

  private BoundedJson() {
  }

  /** A mapper builder over a factory with these limits. */
  public static JsonMapper.Builder builder() {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING).maxNumberLength(64).build()).build());
  }
}
