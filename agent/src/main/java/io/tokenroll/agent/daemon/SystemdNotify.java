package io.tokenroll.agent.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tells systemd how the agent is ({@code Type=notify}): {@code READY=1} once it watches its tokens, {@code STATUS=}
 * lines, {@code STOPPING=1} on SIGTERM — one datagram each to the socket in {@code $NOTIFY_SOCKET}, as
 * sd_notify(3) sends them. Without that variable (not under systemd, or another Type) nothing is sent.
 *
 * <p>Written by hand because the JDK's sockets do UNIX-domain streams only and the notify socket takes datagrams;
 * three libc calls through JNA (already loaded for PC/SC) do it, where libsystemd would be a native dependency that
 * containers and non-systemd machines lack.
 */
public final class SystemdNotify {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  /** sizeof(sockaddr_un.sun_path) on Linux. */
  private static final int MAX_PATH = 108;

  /** The libc calls, bound by JNA. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol);

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength);

    int close(int fd);
  }

  private SystemdNotify() {
  }

  /** Whether systemd asked to be told ({@code $NOTIFY_SOCKET} is set). */
  public static boolean wanted() {
    String socket = System.getenv("NOTIFY_SOCKET");
    return socket != null && !socket.isEmpty();
  }

  /**
   * Sends {@code state} (lines such as {@code READY=1}); returns whether it was sent. A failure is not fatal to the
   * agent — systemd then reports the start as timed out, which says more than a crash would.
   */
  public static boolean send(String state) {
    String socket = System.getenv("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return false;
    }
    byte[] address = address(socket);
    if (address == null) {
      return false;
    }
    try {
      LibC libc = (LibC) Native.loadLibrary("c", LibC.class); // loadLibrary: jnasmartcardio brings JNA 4
      int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        return false;
      }
      try {
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        return libc.sendto(fd, message, new NativeLong(message.length), 0, address, address.length).longValue()
            == message.length;
      } finally {
        libc.close(fd);
      }
    } catch (LinkageError | RuntimeException e) { // JNA cannot load (a noexec temporary directory …): not fatal
      return false;
    }
  }

  /**
   * The sockaddr_un for {@code socket}: a path, or an abstract name written with a leading '@' (its first byte
   * NUL, no terminator counted); null for what is neither.
   */
  static byte[] address(String socket) {
    boolean abstractName = socket.startsWith("@");
    if (!abstractName && !socket.startsWith("/")) {
      return null;
    }
    byte[] name = socket.getBytes(StandardCharsets.UTF_8);
    if (name.length >= MAX_PATH) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(2 + name.length + (abstractName ? 0 : 1)).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_UNIX);
    b.put(name);
    byte[] address = b.array();
    if (abstractName) {
      address[2] = 0;
    }
    return address;
  }
}
