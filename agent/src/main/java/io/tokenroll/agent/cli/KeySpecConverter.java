package io.tokenroll.agent.cli;

import io.tokenroll.pkcs11.KeySpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses --type values; a bad one is a usage error with the accepted spellings. */
final class KeySpecConverter implements ITypeConverter<KeySpec> {
  @Override
  public KeySpec convert(String value) {
    try {
      return KeySpec.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
