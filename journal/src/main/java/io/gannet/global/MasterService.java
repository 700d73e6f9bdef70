package io.gannet.global;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One service of master.cf, as Postfix's {@code master_ent}: the eight columns of its line,
 * resolved, plus its {@code -o name=value} overrides.
 *
 * @param line the line of master.cf the service starts on
 * @param name the service name as written ({@code smtp}, {@code 127.0.0.1:2525}, {@code [::1]:25})
 * @param type the transport type
 * @param columns the five columns private, unpriv, chroot, wakeup, maxproc as written ({@code -}
 *     kept), for printing as {@code postconf -M} does
 * @param privateService the private column ({@code -}: yes)
 * @param unprivileged the unpriv column ({@code -}: yes)
 * @param chroot the chroot column ({@code -}: no, as Postfix 3)
 * @param wakeupTime the wakeup column in seconds ({@code -}: 0, never)
 * @param maxproc the maxproc column; empty for {@code -} (default_process_limit); 0 is no limit
 * @param command the command name ({@code smtpd}, {@code smtp}, ...)
 * @param args the arguments after the command as written ({@code { ... }} groups kept)
 * @param overrides the {@code -o name=value} settings, raw, in order
 * @param host for inet services, the host or address to listen on; empty: every address of
 *     inet_interfaces
 * @param port for inet services, the port (0 lets the system pick one, for tests); else -1
 */
public record MasterService(
    int line,
    String name,
    Type type,
    List<String> columns,
    boolean privateService,
    boolean unprivileged,
    boolean chroot,
    int wakeupTime,
    Optional<Integer> maxproc,
    String command,
    List<String> args,
    Map<String, String> overrides,
    Optional<String> host,
    int port) {

  /** The commands that are delivery agents: their services are transports. */
  private static final Set<String> DELIVERY_AGENTS =
      Set.of("smtp", "lmtp", "local", "virtual", "pipe", "discard", "error");

  /** The transport types of master.cf's second column. */
  public enum Type {
    INET("inet"),
    UNIX("unix"),
    UNIX_DGRAM("unix-dgram"),
    FIFO("fifo"),
    PASS("pass");

    private final String text;

    Type(String text) {
      this.text = text;
    }

    /** The name as written in master.cf. */
    public String text() {
      return text;
    }

    /** The type written {@code text}, or {@code null}. */
    public static Type parse(String text) {
      for (Type t : values()) {
        if (t.text.equals(text)) {
          return t;
        }
      }
      return null;
    }
  }

  public MasterService {
    columns = List.copyOf(columns);
    args = List.copyOf(args);
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /** The process limit with {@code -} resolved to default_process_limit; 0 means no limit. */
  public int maxproc(Config config) {
    return maxproc.orElseGet(() -> config.get(MailParams.DEFAULT_PROCESS_LIMIT));
  }

  /** The main configuration with this service's {@code -o} overrides on top. */
  public Config config(Config main) {
    return main.withOverrides(overrides);
  }

  /** Whether this is a transport: a unix service running a delivery agent. */
  public boolean isTransport() {
    return type == Type.UNIX && DELIVERY_AGENTS.contains(command);
  }

  /** {@code name/type}, as postconf names a service. */
  public String id() {
    return name + "/" + type.text();
  }
}
