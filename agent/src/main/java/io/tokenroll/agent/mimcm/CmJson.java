package io.tokenroll.agent.mimcm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.tokenroll.agent.http.ProtocolException;
import io.tokenroll.protocol.mimcm.MimEnum;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import io.tokenroll.protocol.mimcm.UserPinOption;
import java.io.IOException;

/**
 * JSON as MIM CM writes it, read forgivingly where MIM's documents disagree with each other: property names in
 * any case (PascalCase with camel-case exceptions such as {@code isPfx}), enums as integers or names, unknown
 * properties ignored. Malformed JSON becomes a {@link ProtocolException} naming the route.
 */
final class CmJson {
  static final ObjectMapper MAPPER = io.tokenroll.agent.encoding.BoundedJson.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .addModule(new SimpleModule()
          .addDeserializer(RequestStatus.class, new EnumReader<>(RequestStatus.class))
          .addDeserializer(SmartcardStatus.class, new EnumReader<>(SmartcardStatus.class))
          .addDeserializer(UserPinOption.class, new EnumReader<>(UserPinOption.class))
          .addDeserializer(RequestType.class, new JsonDeserializer<>() {
            @Override
            public RequestType deserialize(JsonParser p, DeserializationContext c) throws IOException {
              return RequestType.parse(p.getValueAsString());
            }
          }))
      .build();

  private CmJson() {
  }

  static <T> T read(byte[] body, Class<T> type, String route) throws ProtocolException {
    try {
      T value = MAPPER.readValue(body, type);
      if (value != null && value.getClass().isArray() && java.util.Arrays.asList((Object[]) value).contains(null)) {
        throw new ProtocolException(route + " answered with an array holding null");
      }
      if (value == null) {
        throw new ProtocolException(route + " answered with an empty JSON value");
      }
      return value;
    } catch (IOException e) {
      throw new ProtocolException(route + " answered with malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** A parsed tree as {@code type}; a tree of another shape is a {@link ProtocolException} naming the route. */
  static <T> T convert(JsonNode tree, Class<T> type, String route) throws ProtocolException {
    try {
      T value = MAPPER.convertValue(tree, type);
      if (value == null) {
        throw new ProtocolException(route + " answered with an empty JSON value");
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(route + " answered with JSON of the wrong shape: " + firstLine(e.getMessage()), e);
    }
  }

  static JsonNode tree(byte[] body, String route) throws ProtocolException {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    } catch (IOException e) {
      throw new ProtocolException(route + " answered with malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** An integer-or-name enum; an unknown value is kept as null rather than failing the whole answer. */
  private static final class EnumReader<E extends Enum<E> & MimEnum> extends JsonDeserializer<E> {
    private final Class<E> type;

    EnumReader(Class<E> type) {
      this.type = type;
    }

    @Override
    public E deserialize(JsonParser p, DeserializationContext c) throws IOException {
      return MimEnum.parse(type, p.getValueAsString());
    }
  }
}
