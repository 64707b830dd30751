package io.tokenroll.agent.http.kerberos;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an MIT {@code FILE:} credential cache says about itself: its default principal, its ticket-granting tickets
 * and the clock offset kinit measured against the KDC. Read only to explain a failure before it happens: the JDK's
 * Kerberos reads the same file for the tickets, but it says neither "expired" nor "no ticket" (both become
 * "Unable to obtain password from user") and it ignores the offset, so a skewed clock only shows as a refusal.
 * Hand-written because no library reads this format short of the JDK's internal one; bounded (1 MiB, 64 entries of
 * interest, 64 components) and fuzzed like every parser of outside input.
 */
public record TicketCache(String defaultPrincipal, List<Ticket> tgts, Optional<Duration> kdcOffset) {
  static final int MAX_BYTES = 1 << 20;
  private static final int MAX_COUNT = 64;
  private static final int MAX_FIELD = 256 * 1024;
  private static final int TAG_KDC_OFFSET = 1;

  /** A ticket-granting ticket: its client, its realm ({@code krbtgt/REALM@REALM}) and when it ends. */
  public record Ticket(String client, String realm, Instant endTime) {
  }

  /** The TGT for {@code realm}, or for any realm when null; the one that lasts longest. */
  public Optional<Ticket> tgt(String realm) {
    return tgts.stream().filter(t -> realm == null || t.realm().equals(realm))
        .max(java.util.Comparator.comparing(Ticket::endTime));
  }

  /** Reads a cache; refuses anything that is not a version 3 or 4 file cache, or that is cut short. */
  public static TicketCache parse(byte[] bytes) throws IOException {
    if (bytes.length > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes: not a ticket cache");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    try {
      int version = in.readUnsignedShort();
      if (version != 0x0503 && version != 0x0504) {
        throw new IOException(String.format("not an MIT ticket cache of version 3 or 4 (starts with %04x)", version));
      }
      Optional<Duration> offset = Optional.empty();
      if (version == 0x0504) {
        int headerLength = in.readUnsignedShort();
        byte[] header = in.readNBytes(headerLength);
        if (header.length < headerLength) {
          throw new EOFException();
        }
        offset = kdcOffset(header);
      }
      String defaultPrincipal = principal(in).toString();
      List<Ticket> tgts = new ArrayList<>();
      while (in.available() > 0 && tgts.size() < MAX_COUNT) {
        Principal client = principal(in);
        Principal server = principal(in);
        in.readUnsignedShort(); // key type
        if (version == 0x0503) {
          in.readUnsignedShort(); // version 3 writes the key type twice
        }
        skip(in, length(in)); // the session key
        in.readInt(); // auth time
        in.readInt(); // start time
        long end = Integer.toUnsignedLong(in.readInt());
        in.readInt(); // renew until
        in.readUnsignedByte(); // is_skey
        in.readInt(); // flags
        for (int n = count(in), i = 0; i < n; i++) { // addresses
          in.readUnsignedShort();
          skip(in, length(in));
        }
        for (int n = count(in), i = 0; i < n; i++) { // authorization data
          in.readUnsignedShort();
          skip(in, length(in));
        }
        skip(in, length(in)); // the ticket
        skip(in, length(in)); // the second ticket
        if (server.isTgt()) {
          tgts.add(new Ticket(client.toString(), server.realm(), Instant.ofEpochSecond(end)));
        }
      }
      return new TicketCache(defaultPrincipal, List.copyOf(tgts), offset);
    } catch (EOFException e) {
      throw new IOException("the ticket cache ends in the middle of an entry");
    }
  }

  /** A DeltaTime tag (seconds, then microseconds: the KDC's clock minus ours), when kinit wrote one. */
  private static Optional<Duration> kdcOffset(byte[] header) throws IOException {
    DataInputStream tags = new DataInputStream(new ByteArrayInputStream(header));
    while (tags.available() >= 4) {
      int tag = tags.readUnsignedShort();
      int length = tags.readUnsignedShort();
      byte[] value = tags.readNBytes(length);
      if (value.length < length) {
        throw new EOFException();
      }
      if (tag == TAG_KDC_OFFSET && length == 8) {
        DataInputStream v = new DataInputStream(new ByteArrayInputStream(value));
        int seconds = v.readInt();
        int micros = v.readInt();
        return Optional.of(Duration.ofSeconds(seconds).plusNanos(micros * 1000L));
      }
    }
    return Optional.empty();
  }

  private record Principal(String realm, List<String> components) {
    boolean isTgt() {
      return components.size() == 2 && components.get(0).equals("krbtgt") && components.get(1).equals(realm);
    }

    @Override
    public String toString() {
      return String.join("/", components) + "@" + realm;
    }
  }

  private static Principal principal(DataInputStream in) throws IOException {
    in.readInt(); // name type
    int n = count(in);
    String realm = text(in);
    List<String> components = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      components.add(text(in));
    }
    return new Principal(realm, components);
  }

  private static String text(DataInputStream in) throws IOException {
    int n = length(in);
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException();
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new IOException("a count of " + Integer.toUnsignedString(n) + " in the ticket cache: not a ticket cache");
    }
    return n;
  }

  private static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELD || n > in.available()) {
      throw new IOException("a field of " + Integer.toUnsignedString(n) + " bytes in the ticket cache, more than "
          + "it holds: not a ticket cache");
    }
    return n;
  }

  private static void skip(DataInputStream in, int n) throws IOException {
    if (in.skipBytes(n) < n) {
      throw new EOFException();
    }
  }
}
