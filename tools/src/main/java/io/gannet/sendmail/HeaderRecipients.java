package io.gannet.sendmail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code sendmail -t}: the recipients named in the message's headers, and the message without its
 * {@code Bcc:} headers. Recipients come from {@code To:}, {@code Cc:} and {@code Bcc:}, or, when the
 * message has {@code Resent-To:}, {@code Resent-Cc:} or {@code Resent-Bcc:} headers (it is being
 * redistributed), from those only. {@code Bcc:} and {@code Resent-Bcc:} are removed, so no
 * recipient sees the blind copies. Address lists are parsed by Jakarta Mail (groups, comments,
 * display names); an empty group ({@code undisclosed-recipients:;}) names nobody.
 */
public final class HeaderRecipients {
  private static final Set<String> PLAIN = Set.of("to", "cc", "bcc");
  private static final Set<String> RESENT = Set.of("resent-to", "resent-cc", "resent-bcc");
  private static final Set<String> BLIND = Set.of("bcc", "resent-bcc");

  /**
   * @param recipients the addresses found, each once, in header order
   * @param content the message without Bcc headers
   */
  public record Result(List<String> recipients, byte[] content) {}

  private HeaderRecipients() {}

  /**
   * Extracts the recipients of {@code content} (CR LF line ends).
   *
   * @throws IllegalArgumentException an address header that cannot be parsed, named
   */
  public static Result extract(byte[] content) {
    MessageHeaders h = MessageHeaders.parse(content);
    boolean resent = h.fields().stream()
        .anyMatch(f -> RESENT.contains(f.name().toLowerCase(Locale.ROOT)));
    Set<String> from = resent ? RESENT : PLAIN;
    Set<String> out = new LinkedHashSet<>();
    for (MessageHeaders.Field f : h.fields()) {
      if (from.contains(f.name().toLowerCase(Locale.ROOT))) {
        out.addAll(addresses(f.name(), h.value(f)));
      }
    }
    return new Result(List.copyOf(out), h.without(BLIND));
  }

  /**
   * The addresses of an address list ({@code a@b, "C" <c@d>, group: e@f;}).
   *
   * @param where names the list in an error (a header name, "recipient")
   * @throws IllegalArgumentException when the list cannot be parsed
   */
  public static List<String> addresses(String where, String list) {
    List<String> out = new ArrayList<>();
    if (list.isBlank()) {
      return out;
    }
    try {
      for (InternetAddress a : InternetAddress.parseHeader(list, true)) {
        if (a.isGroup()) {
          for (InternetAddress m : a.getGroup(false)) {
            add(out, m);
          }
        } else {
          add(out, a);
        }
      }
    } catch (AddressException e) {
      throw new IllegalArgumentException("bad address in " + where + ": " + e.getMessage());
    }
    return out;
  }

  private static void add(List<String> out, InternetAddress a) {
    String address = a.getAddress();
    if (address != null && !address.isBlank()) {
      out.add(address.strip());
    }
  }
}
