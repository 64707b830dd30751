package io.tokenroll.agent.provision;

import io.tokenroll.pkcs11.TokenInfo;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of a module's tokens a provisioning run takes: {@code all}; a label pattern with {@code *} and {@code ?}
 * ({@code desk-*}); or a comma-separated list of labels and serial numbers ({@code alice,bob,0a1b2c3d}).
 */
public sealed interface TokenSelector {
  // the selectors are made from --tokens (parse) and --readers (readers)
  boolean matches(TokenInfo token);

  /** What this selection names that none of {@code present} is: a listed label or serial, a reader. */
  default List<String> unmatched(List<TokenInfo> present) {
    return List.of();
  }

  record All() implements TokenSelector {
    @Override
    public boolean matches(TokenInfo token) {
      return true;
    }
  }

  record LabelPattern(String glob, Pattern regex) implements TokenSelector {
    @Override
    public boolean matches(TokenInfo token) {
      return regex.matcher(token.label()).matches();
    }
  }

  record Listed(Set<String> labelsOrSerials) implements TokenSelector {
    @Override
    public boolean matches(TokenInfo token) {
      return labelsOrSerials.contains(token.label()) || labelsOrSerials.contains(token.serial());
    }

    @Override
    public List<String> unmatched(List<TokenInfo> present) {
      return labelsOrSerials.stream().filter(x -> present.stream()
          .noneMatch(t -> x.equals(t.label()) || x.equals(t.serial()))).sorted().toList();
    }
  }

  /** The cards in these PC/SC readers (a PIV card's slot description is its reader's name). */
  record InReaders(Set<String> readers) implements TokenSelector {
    @Override
    public boolean matches(TokenInfo token) {
      return readers.contains(token.slotDescription());
    }
  }

  /** Both selections at once: --tokens and --readers. */
  record Both(TokenSelector first, TokenSelector second) implements TokenSelector {
    @Override
    public boolean matches(TokenInfo token) {
      return first.matches(token) && second.matches(token);
    }

    @Override
    public List<String> unmatched(List<TokenInfo> present) {
      return java.util.stream.Stream.concat(first.unmatched(present).stream(), second.unmatched(present).stream())
          .toList();
    }
  }

  /** {@code all}, or reader names separated by commas. */
  static TokenSelector readers(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--readers is empty: give all, or reader names separated by commas");
    }
    if (text.equals("all")) {
      return new All();
    }
    List<String> items = List.of(text.split(",", -1)).stream().map(String::strip).toList();
    if (items.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("--readers " + text + ": an empty name in the list");
    }
    return new InReaders(Set.copyOf(items));
  }

  static TokenSelector parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--tokens is empty: give all, a label pattern (desk-*) or a list "
          + "(alice,bob)");
    }
    if (text.equals("all")) {
      return new All();
    }
    if (text.contains("*") || text.contains("?")) {
      StringBuilder regex = new StringBuilder();
      for (char c : text.toCharArray()) {
        regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      return new LabelPattern(text, Pattern.compile(regex.toString()));
    }
    List<String> items = List.of(text.split(",", -1)).stream().map(String::strip).toList();
    if (items.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("--tokens " + text + ": an empty name in the list");
    }
    return new Listed(Set.copyOf(items));
  }
}
