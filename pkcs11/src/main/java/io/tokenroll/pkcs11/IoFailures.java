package io.tokenroll.pkcs11;

import java.io.IOException;

/**
 * Why a file could not be read, in words: the JDK's file exceptions carry only the path as their message
 * ({@code NoSuchFileException: /etc/pin}), which alone reads like an answer, not an error.
 */
public final class IoFailures {
  private IoFailures() {
  }

  public static String why(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "a file is in the way of a directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
