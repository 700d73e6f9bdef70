package io.gannet.global;

/**
 * Where a message came from: the client's address and verified name ({@code unknown} when it has
 * none), the HELO/EHLO argument, and the protocol ({@code SMTP}, {@code ESMTP}, {@code LOCAL} for
 * sendmail submissions, {@code BOUNCE} for notices Gannet made itself).
 */
public record ClientInfo(String address, String name, String helo, String protocol) {

  public static final ClientInfo LOCAL = new ClientInfo("127.0.0.1", "localhost", "", "LOCAL");

  public ClientInfo {
    if (address == null || name == null || helo == null || protocol == null) {
      throw new IllegalArgumentException("client fields must not be null");
    }
  }
}
