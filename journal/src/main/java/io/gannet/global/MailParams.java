package io.gannet.global;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one table of parameters, as Postfix's {@code mail_params.h}: Postfix name verbatim, default
 * (as main.cf text), bounds. A component reads only the parameters its header lists; checks that
 * involve two parameters run at start-up (see {@link PostInit}).
 */
public final class MailParams {

  private static final Map<String, Param<?>> BY_NAME = new LinkedHashMap<>();

  private MailParams() {}

  // ---- Locations and identity -----------------------------------------------------------
  public static final Param<String> QUEUE_DIRECTORY =
      string("queue_directory", "var", "where the journal and the projection live");
  public static final Param<String> MYHOSTNAME =
      string("myhostname", "localhost.localdomain", "this host's fully qualified name");
  public static final Param<String> MYDOMAIN =
      string("mydomain", "localdomain", "this host's domain");
  public static final Param<String> MYORIGIN =
      string("myorigin", "$myhostname", "domain appended to unqualified sender addresses");
  public static final Param<List<String>> MYDESTINATION =
      list("mydestination", "$myhostname, localhost.$mydomain, localhost",
          "domains delivered locally");
  public static final Param<List<String>> MYNETWORKS =
      list("mynetworks", "127.0.0.0/8 [::1]/128", "trusted clients that may relay");
  public static final Param<List<String>> RELAY_DOMAINS =
      list("relay_domains", "", "domains this host relays to");
  public static final Param<List<String>> VIRTUAL_MAILBOX_DOMAINS =
      list("virtual_mailbox_domains", "", "virtual mailbox domains");
  public static final Param<Boolean> APPEND_DOT_MYDOMAIN =
      bool("append_dot_mydomain", "no", "append .$mydomain to user@host addresses");
  public static final Param<String> MAIL_NAME =
      string("mail_name", "Gannet", "the mail system name in greetings and notices");
  public static final Param<String> SMTPD_BANNER =
      string("smtpd_banner", "$myhostname ESMTP $mail_name", "the SMTP greeting text");
  public static final Param<String> MAILLOG_FILE =
      string("maillog_file", "", "daemon log file (empty: $queue_directory/log/gannet.log)");
  // master.cf (MasterCf): where inet services without an explicit host listen
  public static final Param<List<String>> INET_INTERFACES =
      list("inet_interfaces", "all", "addresses inet services listen on (all: every address)");

  // ---- Journal ---------------------------------------------------------------------------
  public static final Param<String> JOURNAL_SYNC =
      string("journal_sync", "group",
          "group: fsync once per batch before acknowledging (durable); none: never (UNSAFE)");
  public static final Param<String> JOURNAL_ROLL_CYCLE =
      string("journal_roll_cycle", "hourly", "how often the journal starts a new cycle file");
  public static final Param<Integer> JOURNAL_BATCH_LIMIT =
      integer("journal_batch_limit", "4096", 1, 1 << 20, "records written per group commit");
  public static final Param<Long> JOURNAL_RETENTION_INTERVAL =
      time("journal_retention_interval", "10m", 1, 86400,
          "how often qmgr moves old live messages forward and deletes unneeded journal cycles");
  public static final Param<Integer> JOURNAL_KEEP_CYCLES =
      integer("journal_keep_cycles", "2", 2, 1 << 16,
          "newest journal cycles whose live messages are not moved forward");

  // ---- smtpd -----------------------------------------------------------------------------
  public static final Param<Long> MESSAGE_SIZE_LIMIT =
      size("message_size_limit", "10240000", 0, 1L << 31, "largest message accepted, bytes");
  public static final Param<Integer> LINE_LENGTH_LIMIT =
      integer("line_length_limit", "2048", 80, 1 << 20, "longest line read as one");
  public static final Param<Integer> SMTPD_RECIPIENT_LIMIT =
      integer("smtpd_recipient_limit", "1000", 1, 1 << 24, "recipients per message");
  public static final Param<Long> SMTPD_TIMEOUT =
      time("smtpd_timeout", "300s", 1, 86400, "idle time before smtpd hangs up");
  public static final Param<Integer> SMTPD_SOFT_ERROR_LIMIT =
      integer("smtpd_soft_error_limit", "10", 1, 1000, "errors before smtpd slows down");
  public static final Param<Integer> SMTPD_HARD_ERROR_LIMIT =
      integer("smtpd_hard_error_limit", "20", 1, 1000, "errors before smtpd hangs up");
  public static final Param<Integer> SMTPD_CLIENT_CONNECTION_COUNT_LIMIT =
      integer("smtpd_client_connection_count_limit", "50", 0, 1 << 20,
          "simultaneous connections per client (0: no limit)");
  public static final Param<Integer> SMTPD_CLIENT_CONNECTION_RATE_LIMIT =
      integer("smtpd_client_connection_rate_limit", "0", 0, 1 << 30,
          "connections per client per anvil_rate_time_unit (0: no limit)");
  public static final Param<Integer> SMTPD_CLIENT_MESSAGE_RATE_LIMIT =
      integer("smtpd_client_message_rate_limit", "0", 0, 1 << 30,
          "messages per client per anvil_rate_time_unit (0: no limit)");
  public static final Param<Long> ANVIL_RATE_TIME_UNIT =
      time("anvil_rate_time_unit", "60s", 1, 86400, "the time window of the rate limits");
  public static final Param<List<String>> SMTPD_RELAY_RESTRICTIONS =
      list("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination",
          "who may relay");
  public static final Param<List<String>> SMTPD_RECIPIENT_RESTRICTIONS =
      list("smtpd_recipient_restrictions", "", "further RCPT TO restrictions");
  public static final Param<Boolean> DISABLE_VRFY_COMMAND =
      bool("disable_vrfy_command", "no", "refuse VRFY with 502");
  public static final Param<String> SMTPD_FORBID_BARE_NEWLINE =
      string("smtpd_forbid_bare_newline", "reject", "bare CR or LF: reject (always here)");
  public static final Param<List<String>> FAST_FLUSH_DOMAINS =
      list("fast_flush_domains", "$relay_domains", "domains ETRN may flush");
  // smtpd (smtpd branch)
  public static final Param<List<String>> SMTPD_FORBIDDEN_COMMANDS =
      list("smtpd_forbidden_commands", "CONNECT GET POST",
          "commands that make smtpd hang up at once (HTTP proxy abuse)");
  public static final Param<List<String>> SMTPD_CLIENT_EVENT_LIMIT_EXCEPTIONS =
      list("smtpd_client_event_limit_exceptions", "$mynetworks",
          "clients exempt from the anvil connection and rate limits");

  // ---- cleanup and trivial-rewrite -------------------------------------------------------
  public static final Param<Integer> HOPCOUNT_LIMIT =
      integer("hopcount_limit", "50", 1, 1000, "Received: headers before a loop is declared");
  public static final Param<List<String>> CANONICAL_MAPS =
      list("canonical_maps", "", "address rewriting for sender and recipients");
  public static final Param<List<String>> SENDER_CANONICAL_MAPS =
      list("sender_canonical_maps", "", "sender address rewriting");
  public static final Param<List<String>> RECIPIENT_CANONICAL_MAPS =
      list("recipient_canonical_maps", "", "recipient address rewriting");
  public static final Param<List<String>> VIRTUAL_ALIAS_MAPS =
      list("virtual_alias_maps", "", "recipient aliasing");
  public static final Param<Integer> VIRTUAL_ALIAS_EXPANSION_LIMIT =
      integer("virtual_alias_expansion_limit", "1000", 1, 1 << 20, "addresses one alias makes");
  public static final Param<Integer> VIRTUAL_ALIAS_RECURSION_LIMIT =
      integer("virtual_alias_recursion_limit", "1000", 1, 1 << 20, "nesting of aliases");
  public static final Param<List<String>> HEADER_CHECKS =
      list("header_checks", "", "header content inspection tables");
  public static final Param<List<String>> BODY_CHECKS =
      list("body_checks", "", "body content inspection tables");
  public static final Param<List<String>> TRANSPORT_MAPS =
      list("transport_maps", "", "per-domain transport and next hop");
  public static final Param<String> RELAYHOST =
      string("relayhost", "", "next hop for remote mail ([host]:port: no MX lookup)");
  public static final Param<String> DEFAULT_TRANSPORT =
      string("default_transport", "smtp", "transport for the default class");
  public static final Param<String> RELAY_TRANSPORT =
      string("relay_transport", "relay", "transport for relay_domains");
  public static final Param<String> LOCAL_TRANSPORT =
      string("local_transport", "local:$myhostname", "transport for mydestination");
  public static final Param<String> VIRTUAL_TRANSPORT =
      string("virtual_transport", "virtual", "transport for virtual_mailbox_domains");
  // cleanup/trivial-rewrite helper: domain matching and missing headers
  public static final Param<List<String>> PARENT_DOMAIN_MATCHES_SUBDOMAINS =
      list("parent_domain_matches_subdomains",
          "debug_peer_list, fast_flush_domains, mynetworks, permit_mx_backup_networks,"
              + " qmqpd_authorized_clients, relay_domains, smtpd_access_maps",
          "lists where example.com also matches sub.example.com (else write .example.com)");
  public static final Param<Boolean> ALWAYS_ADD_MISSING_HEADERS =
      bool("always_add_missing_headers", "no",
          "add missing From:, Date:, Message-ID: also to mail from remote clients");
  public static final Param<Long> BODY_CHECKS_SIZE_LIMIT =
      size("body_checks_size_limit", "51200", 0, 1L << 31,
          "body bytes inspected by body_checks; the rest passes unchecked");

  // ---- qmgr ------------------------------------------------------------------------------
  public static final Param<Integer> QMGR_MESSAGE_ACTIVE_LIMIT =
      integer("qmgr_message_active_limit", "20000", 1, 1 << 24, "messages in the active window");
  public static final Param<Integer> QMGR_MESSAGE_RECIPIENT_LIMIT =
      integer("qmgr_message_recipient_limit", "20000", 1, 1 << 24,
          "recipients in the active window");
  public static final Param<Integer> INITIAL_DESTINATION_CONCURRENCY =
      integer("initial_destination_concurrency", "5", 1, 1 << 16,
          "deliveries at once to a new destination");
  public static final Param<Integer> DEFAULT_DESTINATION_CONCURRENCY_LIMIT =
      integer("default_destination_concurrency_limit", "20", 1, 1 << 16,
          "deliveries at once to one destination");
  public static final Param<Integer> DEFAULT_DESTINATION_CONCURRENCY_FAILED_COHORT_LIMIT =
      integer("default_destination_concurrency_failed_cohort_limit", "1", 1, 1 << 16,
          "failed cohorts before a destination is marked dead");
  public static final Param<Long> DEFAULT_DESTINATION_RATE_DELAY =
      time("default_destination_rate_delay", "0s", 0, 86400, "pause between deliveries");
  public static final Param<Integer> DEFAULT_DESTINATION_RECIPIENT_LIMIT =
      integer("default_destination_recipient_limit", "50", 1, 1 << 20,
          "recipients per delivery request");
  public static final Param<Long> MINIMAL_BACKOFF_TIME =
      time("minimal_backoff_time", "300s", 1, 86400 * 365, "shortest retry interval");
  public static final Param<Long> MAXIMAL_BACKOFF_TIME =
      time("maximal_backoff_time", "4000s", 1, 86400 * 365, "longest retry interval");
  public static final Param<Long> QUEUE_RUN_DELAY =
      time("queue_run_delay", "300s", 1, 86400, "how often the deferred index is scanned");
  public static final Param<Long> MAXIMAL_QUEUE_LIFETIME =
      time("maximal_queue_lifetime", "5d", 0, 86400L * 365, "age at which mail bounces");
  public static final Param<Long> BOUNCE_QUEUE_LIFETIME =
      time("bounce_queue_lifetime", "5d", 0, 86400L * 365, "the same, for notices");
  public static final Param<Long> DELAY_WARNING_TIME =
      time("delay_warning_time", "0h", 0, 86400L * 365, "age of a delay notice (0: none)");
  public static final Param<Long> TRANSPORT_RETRY_TIME =
      time("transport_retry_time", "60s", 1, 86400, "how long a dead destination rests");

  // ---- Delivery agents -------------------------------------------------------------------
  public static final Param<Integer> DEFAULT_PROCESS_LIMIT =
      integer("default_process_limit", "100", 1, 1 << 16, "delivery agents at once");
  public static final Param<Long> SMTP_CONNECT_TIMEOUT =
      time("smtp_connect_timeout", "30s", 1, 3600, "TCP connect timeout");
  public static final Param<Long> SMTP_HELO_TIMEOUT =
      time("smtp_helo_timeout", "300s", 1, 3600, "greeting and EHLO timeout");
  public static final Param<Long> SMTP_MAIL_TIMEOUT =
      time("smtp_mail_timeout", "300s", 1, 3600, "MAIL FROM reply timeout");
  public static final Param<Long> SMTP_RCPT_TIMEOUT =
      time("smtp_rcpt_timeout", "300s", 1, 3600, "RCPT TO reply timeout");
  public static final Param<Long> SMTP_DATA_INIT_TIMEOUT =
      time("smtp_data_init_timeout", "120s", 1, 3600, "DATA reply timeout");
  public static final Param<Long> SMTP_DATA_XFER_TIMEOUT =
      time("smtp_data_xfer_timeout", "180s", 1, 3600, "content transfer timeout");
  public static final Param<Long> SMTP_DATA_DONE_TIMEOUT =
      time("smtp_data_done_timeout", "600s", 1, 3600, "end-of-data reply timeout");
  public static final Param<Long> SMTP_RSET_TIMEOUT =
      time("smtp_rset_timeout", "20s", 1, 3600, "RSET reply timeout");
  public static final Param<Long> SMTP_QUIT_TIMEOUT =
      time("smtp_quit_timeout", "300s", 1, 3600, "QUIT reply timeout");
  public static final Param<String> SMTP_HELO_NAME =
      string("smtp_helo_name", "$myhostname", "hostname sent in EHLO/HELO");
  public static final Param<Integer> SMTP_LINE_LENGTH_LIMIT =
      integer("smtp_line_length_limit", "998", 0, 1 << 20,
          "longest content line sent before it is broken (0: no limit)");
  public static final Param<Long> SMTP_CONNECTION_REUSE_TIME_LIMIT =
      time("smtp_connection_reuse_time_limit", "300s", 1, 86400,
          "age after which a connection is no longer reused");
  public static final Param<Boolean> SMTP_SKIP_5XX_GREETING =
      bool("smtp_skip_5xx_greeting", "yes", "treat a 5xx greeting as 4xx (try another host)");
  public static final Param<Integer> LMTP_TCP_PORT =
      integer("lmtp_tcp_port", "24", 1, 65535, "default LMTP port over TCP");
  public static final Param<Long> LMTP_CONNECT_TIMEOUT =
      time("lmtp_connect_timeout", "0s", 0, 3600, "LMTP connect timeout (0: the system's)");
  public static final Param<Long> LMTP_LHLO_TIMEOUT =
      time("lmtp_lhlo_timeout", "300s", 1, 3600, "LMTP greeting and LHLO timeout");
  public static final Param<Long> LMTP_MAIL_TIMEOUT =
      time("lmtp_mail_timeout", "300s", 1, 3600, "LMTP MAIL FROM reply timeout");
  public static final Param<Long> LMTP_RCPT_TIMEOUT =
      time("lmtp_rcpt_timeout", "300s", 1, 3600, "LMTP RCPT TO reply timeout");
  public static final Param<Long> LMTP_DATA_INIT_TIMEOUT =
      time("lmtp_data_init_timeout", "120s", 1, 3600, "LMTP DATA reply timeout");
  public static final Param<Long> LMTP_DATA_XFER_TIMEOUT =
      time("lmtp_data_xfer_timeout", "180s", 1, 3600, "LMTP content transfer timeout");
  public static final Param<Long> LMTP_DATA_DONE_TIMEOUT =
      time("lmtp_data_done_timeout", "600s", 1, 3600, "LMTP end-of-data replies timeout");
  public static final Param<Long> LMTP_RSET_TIMEOUT =
      time("lmtp_rset_timeout", "20s", 1, 3600, "LMTP RSET reply timeout");
  public static final Param<Long> LMTP_QUIT_TIMEOUT =
      time("lmtp_quit_timeout", "300s", 1, 3600, "LMTP QUIT reply timeout");
  public static final Param<String> LMTP_LHLO_NAME =
      string("lmtp_lhlo_name", "$myhostname", "hostname sent in LHLO");
  public static final Param<Integer> LMTP_LINE_LENGTH_LIMIT =
      integer("lmtp_line_length_limit", "998", 0, 1 << 20,
          "longest LMTP content line sent before it is broken (0: no limit)");
  public static final Param<Long> LMTP_CONNECTION_CACHE_TIME_LIMIT =
      time("lmtp_connection_cache_time_limit", "2s", 1, 3600, "idle cached LMTP connection life");
  public static final Param<Integer> LMTP_CONNECTION_REUSE_COUNT_LIMIT =
      integer("lmtp_connection_reuse_count_limit", "0", 0, 1 << 20,
          "transactions per cached LMTP connection (0: no limit)");
  public static final Param<Long> LMTP_CONNECTION_REUSE_TIME_LIMIT =
      time("lmtp_connection_reuse_time_limit", "300s", 1, 86400,
          "age after which an LMTP connection is no longer reused");
  public static final Param<String> LMTP_BIND_ADDRESS =
      string("lmtp_bind_address", "", "source address of outbound LMTP connections");
  public static final Param<Integer> SMTP_MX_ADDRESS_LIMIT =
      integer("smtp_mx_address_limit", "5", 0, 1000, "addresses tried per delivery");
  public static final Param<Long> SMTP_CONNECTION_CACHE_TIME_LIMIT =
      time("smtp_connection_cache_time_limit", "2s", 1, 3600, "idle cached connection life");
  public static final Param<Integer> SMTP_CONNECTION_REUSE_COUNT_LIMIT =
      integer("smtp_connection_reuse_count_limit", "0", 0, 1 << 20,
          "transactions per cached connection (0: no limit)");
  public static final Param<String> SMTP_BIND_ADDRESS =
      string("smtp_bind_address", "", "source address of outbound connections");
  public static final Param<String> DNS_RESOLVER =
      string("dns_resolver", "", "DNS server host[:port] (empty: the system's)");
  public static final Param<List<String>> INET_PROTOCOLS =
      list("inet_protocols", "all",
          "address families used: all, ipv4, ipv6 (IPv4 addresses are tried first)");

  // ---- Notices ---------------------------------------------------------------------------
  public static final Param<String> BOUNCE_NOTICE_RECIPIENT =
      string("bounce_notice_recipient", "postmaster", "who gets postmaster copies of bounces");
  public static final Param<String> DOUBLE_BOUNCE_NOTICE_RECIPIENT =
      string("2bounce_notice_recipient", "postmaster", "who gets undeliverable notices");
  public static final Param<String> DOUBLE_BOUNCE_SENDER =
      string("double_bounce_sender", "double-bounce",
          "sender of postmaster notices (mail to it that fails is discarded)");
  public static final Param<List<String>> NOTIFY_CLASSES =
      list("notify_classes", "resource, software",
          "problems reported to the postmaster (bounce and 2bounce: undeliverable notices)");
  public static final Param<Long> BOUNCE_SIZE_LIMIT =
      size("bounce_size_limit", "50000", 1, 1L << 31,
          "largest original returned whole in a notice; larger ones return headers only");

  /** Every parameter, in declaration order. */
  public static List<Param<?>> all() {
    return Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));
  }

  /** The parameter of that name, or {@code null}. */
  public static Param<?> byName(String name) {
    return BY_NAME.get(name);
  }

  // ---- Declaration helpers ---------------------------------------------------------------

  private static <T> Param<T> register(Param<T> p) {
    if (BY_NAME.put(p.name(), p) != null) {
      throw new IllegalStateException("parameter declared twice: " + p.name());
    }
    return p;
  }

  static Param<String> string(String name, String def, String description) {
    return register(newParam(Param.Kind.STRING, name, def, 0, 0, description));
  }

  static Param<Boolean> bool(String name, String def, String description) {
    return register(newParam(Param.Kind.BOOL, name, def, 0, 1, description));
  }

  static Param<List<String>> list(String name, String def, String description) {
    return register(newParam(Param.Kind.LIST, name, def, 0, 0, description));
  }

  static Param<Integer> integer(String name, String def, long min, long max, String description) {
    return register(newParam(Param.Kind.INT, name, def, min, max, description));
  }

  static Param<Long> size(String name, String def, long min, long max, String description) {
    return register(newParam(Param.Kind.SIZE, name, def, min, max, description));
  }

  static Param<Long> time(String name, String def, long min, long max, String description) {
    return register(newParam(Param.Kind.TIME, name, def, min, max, description));
  }

  /**
   * A parameter of the same kind and bounds as {@code base} under another name and default, not
   * in the table: the per-transport forms of {@link TransportParams}.
   */
  static <T> Param<T> derived(Param<T> base, String name, String def, String description) {
    return newParam(base.kind(), name, def, base.min(), base.max(), description);
  }

  /** A parameter whose parser (and its error messages) follow from its kind, name and bounds. */
  @SuppressWarnings("unchecked")
  private static <T> Param<T> newParam(
      Param.Kind kind, String name, String def, long min, long max, String description) {
    Function<String, ?> parser =
        switch (kind) {
          case STRING -> s -> s;
          case BOOL -> s -> parseBool(name, s);
          case LIST -> MailParams::splitList;
          case INT -> s -> (int) bounded(name, parseLong(name, s.trim()), min, max);
          case LONG, SIZE -> s -> bounded(name, parseLong(name, s.trim()), min, max);
          case TIME -> s -> bounded(name, parseSeconds(name, s.trim()), min, max);
        };
    return new Param<>(name, def, kind, min, max, (Function<String, T>) parser, description);
  }

  /** Splits a Postfix list value on white space and commas. */
  public static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.split("[\\s,]+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  static boolean parseBool(String name, String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "yes":
      case "true":
      case "on":
      case "1":
        return true;
      case "no":
      case "false":
      case "off":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException(
            "bad boolean value for parameter " + name + ": '" + s + "' (use yes or no)");
    }
  }

  static long parseLong(String name, String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad numerical value for parameter " + name + ": '" + s + "'");
    }
  }

  /** Postfix time syntax: a number with an optional unit s, m, h, d or w (default seconds). */
  static long parseSeconds(String name, String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty time value for parameter " + name);
    }
    char unit = s.charAt(s.length() - 1);
    long mult = 1;
    String digits = s;
    if (!Character.isDigit(unit)) {
      digits = s.substring(0, s.length() - 1);
      switch (unit) {
        case 's':
          mult = 1;
          break;
        case 'm':
          mult = 60;
          break;
        case 'h':
          mult = 3600;
          break;
        case 'd':
          mult = 86400;
          break;
        case 'w':
          mult = 7 * 86400;
          break;
        default:
          throw new IllegalArgumentException(
              "bad time unit for parameter " + name + ": '" + s + "' (use s, m, h, d or w)");
      }
    }
    long n = parseLong(name, digits);
    if (n > Long.MAX_VALUE / mult || n < Long.MIN_VALUE / mult) {
      throw new IllegalArgumentException(
          "time value out of range for parameter " + name + ": '" + s + "'");
    }
    return n * mult;
  }

  static long bounded(String name, long v, long min, long max) {
    if (v < min) {
      throw new IllegalArgumentException(
          "invalid value for parameter " + name + ": " + v + " < " + min);
    }
    if (max > min && v > max) {
      throw new IllegalArgumentException(
          "invalid value for parameter " + name + ": " + v + " > " + max);
    }
    return v;
  }
}
