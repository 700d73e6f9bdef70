package io.gannet.agent.smtp;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one smtp or lmtp client, read once from the configuration (a bad value fails
 * with the parameter's name). Immutable.
 *
 * <p>Parameters, Postfix names and defaults (lmtp has its own {@code lmtp_*} set):
 *
 * <pre>
 * smtp_helo_name ($myhostname)             lmtp_lhlo_name ($myhostname)
 * smtp_connect_timeout (30s)               lmtp_connect_timeout (0s: the system's)
 * smtp_helo_timeout (300s)                 lmtp_lhlo_timeout (300s)
 * smtp_mail_timeout (300s)                 lmtp_mail_timeout (300s)
 * smtp_rcpt_timeout (300s)                 lmtp_rcpt_timeout (300s)
 * smtp_data_init_timeout (120s)            lmtp_data_init_timeout (120s)
 * smtp_data_xfer_timeout (180s)            lmtp_data_xfer_timeout (180s)
 * smtp_data_done_timeout (600s)            lmtp_data_done_timeout (600s)
 * smtp_rset_timeout (20s)                  lmtp_rset_timeout (20s)
 * smtp_connection_cache_time_limit (2s)    lmtp_connection_cache_time_limit (2s)
 * smtp_connection_reuse_count_limit (0)    lmtp_connection_reuse_count_limit (0)
 * smtp_connection_reuse_time_limit (300s)  lmtp_connection_reuse_time_limit (300s)
 * smtp_bind_address (empty)                lmtp_bind_address (empty)
 * smtp_line_length_limit (998)             lmtp_line_length_limit (998)
 * smtp_mx_address_limit (5)                lmtp_tcp_port (24)
 * smtp_skip_5xx_greeting (yes)
 * default_process_limit (100)  line_length_limit (2048, longest reply line read)
 * </pre>
 *
 * Tests and tools may set any value, in milliseconds where Postfix only has seconds, through
 * {@link #toBuilder()}.
 */
public record SmtpClientSettings(
    Protocol protocol,
    String heloName,
    String myhostname,
    int defaultPort,
    Duration connectTimeout,
    Duration heloTimeout,
    Duration mailTimeout,
    Duration rcptTimeout,
    Duration dataInitTimeout,
    Duration dataXferTimeout,
    Duration dataDoneTimeout,
    Duration rsetTimeout,
    Duration cacheTimeLimit,
    int reuseCountLimit,
    Duration reuseTimeLimit,
    InetAddress bindAddress,
    int processLimit,
    int lineLengthLimit,
    int replyLineLimit,
    int mxAddressLimit,
    boolean skip5xxGreeting) {

  /** Which protocol the client speaks. */
  public enum Protocol {
    SMTP("smtp"),
    LMTP("lmtp");

    private final String logName;

    Protocol(String logName) {
      this.logName = logName;
    }

    /** The program name in log lines ({@code gannet/smtp}). */
    public String logName() {
      return logName;
    }
  }

  public SmtpClientSettings {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(myhostname, "myhostname");
    for (Duration d :
        new Duration[] {
          connectTimeout, heloTimeout, mailTimeout, rcptTimeout, dataInitTimeout,
          dataXferTimeout, dataDoneTimeout, rsetTimeout, cacheTimeLimit, reuseTimeLimit
        }) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative time limit: " + d);
      }
    }
    if (processLimit < 1) {
      throw new IllegalArgumentException("process limit < 1: " + processLimit);
    }
    if (defaultPort < 1 || defaultPort > 65535) {
      throw new IllegalArgumentException("bad default port " + defaultPort);
    }
  }

  /** The smtp client's settings from {@code smtp_*} and the shared parameters. */
  public static SmtpClientSettings smtp(Config c) {
    return new SmtpClientSettings(
        Protocol.SMTP,
        c.get(MailParams.SMTP_HELO_NAME),
        c.get(MailParams.MYHOSTNAME),
        25,
        seconds(c.get(MailParams.SMTP_CONNECT_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_HELO_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_MAIL_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_RCPT_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_DATA_INIT_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_DATA_XFER_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_DATA_DONE_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_RSET_TIMEOUT)),
        seconds(c.get(MailParams.SMTP_CONNECTION_CACHE_TIME_LIMIT)),
        c.get(MailParams.SMTP_CONNECTION_REUSE_COUNT_LIMIT),
        seconds(c.get(MailParams.SMTP_CONNECTION_REUSE_TIME_LIMIT)),
        bindAddress("smtp_bind_address", c.get(MailParams.SMTP_BIND_ADDRESS)),
        c.get(MailParams.DEFAULT_PROCESS_LIMIT),
        c.get(MailParams.SMTP_LINE_LENGTH_LIMIT),
        c.get(MailParams.LINE_LENGTH_LIMIT),
        c.get(MailParams.SMTP_MX_ADDRESS_LIMIT),
        c.get(MailParams.SMTP_SKIP_5XX_GREETING));
  }

  /** The lmtp client's settings from {@code lmtp_*} and the shared parameters. */
  public static SmtpClientSettings lmtp(Config c) {
    return new SmtpClientSettings(
        Protocol.LMTP,
        c.get(MailParams.LMTP_LHLO_NAME),
        c.get(MailParams.MYHOSTNAME),
        c.get(MailParams.LMTP_TCP_PORT),
        seconds(c.get(MailParams.LMTP_CONNECT_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_LHLO_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_MAIL_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_RCPT_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_DATA_INIT_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_DATA_XFER_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_DATA_DONE_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_RSET_TIMEOUT)),
        seconds(c.get(MailParams.LMTP_CONNECTION_CACHE_TIME_LIMIT)),
        c.get(MailParams.LMTP_CONNECTION_REUSE_COUNT_LIMIT),
        seconds(c.get(MailParams.LMTP_CONNECTION_REUSE_TIME_LIMIT)),
        bindAddress("lmtp_bind_address", c.get(MailParams.LMTP_BIND_ADDRESS)),
        c.get(MailParams.DEFAULT_PROCESS_LIMIT),
        c.get(MailParams.LMTP_LINE_LENGTH_LIMIT),
        c.get(MailParams.LINE_LENGTH_LIMIT),
        0,
        c.get(MailParams.SMTP_SKIP_5XX_GREETING));
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  private static InetAddress bindAddress(String name, String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return null;
    }
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    if (!v.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException(
          "bad " + name + " '" + value + "': an IPv4 or IPv6 address is expected");
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad " + name + " '" + value + "': " + e.getMessage());
    }
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings (tests use millisecond time limits). */
  public static final class Builder {
    private Protocol protocol;
    private String heloName;
    private String myhostname;
    private int defaultPort;
    private Duration connectTimeout;
    private Duration heloTimeout;
    private Duration mailTimeout;
    private Duration rcptTimeout;
    private Duration dataInitTimeout;
    private Duration dataXferTimeout;
    private Duration dataDoneTimeout;
    private Duration rsetTimeout;
    private Duration cacheTimeLimit;
    private int reuseCountLimit;
    private Duration reuseTimeLimit;
    private InetAddress bindAddress;
    private int processLimit;
    private int lineLengthLimit;
    private int replyLineLimit;
    private int mxAddressLimit;
    private boolean skip5xxGreeting;

    private Builder(SmtpClientSettings s) {
      protocol = s.protocol;
      heloName = s.heloName;
      myhostname = s.myhostname;
      defaultPort = s.defaultPort;
      connectTimeout = s.connectTimeout;
      heloTimeout = s.heloTimeout;
      mailTimeout = s.mailTimeout;
      rcptTimeout = s.rcptTimeout;
      dataInitTimeout = s.dataInitTimeout;
      dataXferTimeout = s.dataXferTimeout;
      dataDoneTimeout = s.dataDoneTimeout;
      rsetTimeout = s.rsetTimeout;
      cacheTimeLimit = s.cacheTimeLimit;
      reuseCountLimit = s.reuseCountLimit;
      reuseTimeLimit = s.reuseTimeLimit;
      bindAddress = s.bindAddress;
      processLimit = s.processLimit;
      lineLengthLimit = s.lineLengthLimit;
      replyLineLimit = s.replyLineLimit;
      mxAddressLimit = s.mxAddressLimit;
      skip5xxGreeting = s.skip5xxGreeting;
    }

    /** Every reply and transfer time limit (not the connect timeout) at once. */
    public Builder conversationTimeouts(Duration d) {
      heloTimeout = d;
      mailTimeout = d;
      rcptTimeout = d;
      dataInitTimeout = d;
      dataXferTimeout = d;
      dataDoneTimeout = d;
      rsetTimeout = d;
      return this;
    }

    public Builder heloName(String v) {
      heloName = v;
      return this;
    }

    public Builder defaultPort(int v) {
      defaultPort = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder heloTimeout(Duration v) {
      heloTimeout = v;
      return this;
    }

    public Builder mailTimeout(Duration v) {
      mailTimeout = v;
      return this;
    }

    public Builder rcptTimeout(Duration v) {
      rcptTimeout = v;
      return this;
    }

    public Builder dataInitTimeout(Duration v) {
      dataInitTimeout = v;
      return this;
    }

    public Builder dataXferTimeout(Duration v) {
      dataXferTimeout = v;
      return this;
    }

    public Builder dataDoneTimeout(Duration v) {
      dataDoneTimeout = v;
      return this;
    }

    public Builder rsetTimeout(Duration v) {
      rsetTimeout = v;
      return this;
    }

    public Builder cacheTimeLimit(Duration v) {
      cacheTimeLimit = v;
      return this;
    }

    public Builder reuseCountLimit(int v) {
      reuseCountLimit = v;
      return this;
    }

    public Builder reuseTimeLimit(Duration v) {
      reuseTimeLimit = v;
      return this;
    }

    public Builder bindAddress(InetAddress v) {
      bindAddress = v;
      return this;
    }

    public Builder processLimit(int v) {
      processLimit = v;
      return this;
    }

    public Builder lineLengthLimit(int v) {
      lineLengthLimit = v;
      return this;
    }

    public Builder mxAddressLimit(int v) {
      mxAddressLimit = v;
      return this;
    }

    public Builder skip5xxGreeting(boolean v) {
      skip5xxGreeting = v;
      return this;
    }

    public SmtpClientSettings build() {
      return new SmtpClientSettings(
          protocol, heloName, myhostname, defaultPort, connectTimeout, heloTimeout, mailTimeout,
          rcptTimeout, dataInitTimeout, dataXferTimeout, dataDoneTimeout, rsetTimeout,
          cacheTimeLimit, reuseCountLimit, reuseTimeLimit, bindAddress, processLimit,
          lineLengthLimit, replyLineLimit, mxAddressLimit, skip5xxGreeting);
    }
  }
}
