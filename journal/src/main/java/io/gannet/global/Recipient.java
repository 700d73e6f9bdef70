package io.gannet.global;

/**
 * One envelope recipient as received: the address (without angle brackets; may carry an SMTPUTF8
 * local part), the DSN original recipient ({@code ORCPT=}, {@code null} when absent, kept as the
 * client sent it, e.g. {@code rfc822;user@example.com}) and the DSN {@code NOTIFY=} flags ({@code NOTIFY_*} bits).
 */
public record Recipient(String address, String orcpt, int notifyFlags) {

  /** No NOTIFY parameter was given: Postfix then notifies on failure (and delay). */
  public static final int NOTIFY_DEFAULT = 0;
  public static final int NOTIFY_NEVER = 1;
  public static final int NOTIFY_SUCCESS = 2;
  public static final int NOTIFY_FAILURE = 4;
  public static final int NOTIFY_DELAY = 8;
  static final int NOTIFY_ALL = NOTIFY_NEVER | NOTIFY_SUCCESS | NOTIFY_FAILURE | NOTIFY_DELAY;

  public Recipient {
    if (address == null) {
      throw new IllegalArgumentException("recipient address is null");
    }
    if ((notifyFlags & ~NOTIFY_ALL) != 0) {
      throw new IllegalArgumentException("invalid NOTIFY flags: " + notifyFlags);
    }
    if ((notifyFlags & NOTIFY_NEVER) != 0 && notifyFlags != NOTIFY_NEVER) {
      throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
    }
  }

  public static Recipient of(String address) {
    return new Recipient(address, null, NOTIFY_DEFAULT);
  }

  /** True when a notice of the given kind ({@code NOTIFY_*}) is wanted for this recipient. */
  public boolean wants(int kind) {
    if (notifyFlags == NOTIFY_DEFAULT) {
      return kind == NOTIFY_FAILURE || kind == NOTIFY_DELAY;
    }
    return (notifyFlags & kind) != 0;
  }

  /** The NOTIFY value as written in SMTP ({@code SUCCESS,FAILURE}), or {@code null} if none. */
  public String notifyText() {
    if (notifyFlags == NOTIFY_DEFAULT) {
      return null;
    }
    if (notifyFlags == NOTIFY_NEVER) {
      return "NEVER";
    }
    StringBuilder sb = new StringBuilder();
    if ((notifyFlags & NOTIFY_SUCCESS) != 0) sb.append("SUCCESS,");
    if ((notifyFlags & NOTIFY_FAILURE) != 0) sb.append("FAILURE,");
    if ((notifyFlags & NOTIFY_DELAY) != 0) sb.append("DELAY,");
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}
