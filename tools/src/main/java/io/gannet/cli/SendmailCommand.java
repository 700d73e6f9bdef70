package io.gannet.cli;

import io.gannet.global.BodyType;
import io.gannet.global.ConfigException;
import io.gannet.global.DsnRet;
import io.gannet.global.MailParams;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import io.gannet.master.AdminUnavailableException;
import io.gannet.master.QueueLock;
import io.gannet.pickup.Maildrop;
import io.gannet.pickup.Submission;
import io.gannet.sendmail.FromHeader;
import io.gannet.sendmail.HeaderRecipients;
import io.gannet.sendmail.MessageReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet sendmail}: the Sendmail-compatible interface, as Postfix's sendmail(1) (also what
 * {@code bin/gannet} runs when invoked through a link named {@code sendmail}). Reads one message
 * on standard input and always writes it, with its envelope, into {@code $queue_directory/maildrop}
 * (atomically and durably, {@link Maildrop}); mail is never refused because the daemon is down.
 * When the daemon runs, it is poked (admin {@code pickup NAME}) and the command waits to learn
 * that the message was queued; otherwise the daemon picks it up when it starts.
 *
 * <p>Options: {@code -f SENDER} (also {@code -r}; {@code ""} or {@code <>}: the null sender;
 * default: the login name), {@code -F NAME} (full name in an added {@code From:}), {@code -t}
 * (recipients from To/Cc/Bcc, added to those of the command line; Bcc removed), {@code -i} / {@code
 * -oi} (a single {@code .} line does not end the message), {@code -N never|success,failure,delay}
 * (DSN NOTIFY), {@code -R full|hdrs} (DSN RET), {@code -B 7BIT|8BITMIME}, {@code -C DIR} (the
 * configuration directory), {@code -v} (say the queue id), {@code -bm} (the default mode); other
 * {@code -oX} options are ignored, as Postfix does. Not done: {@code -bs}, {@code
 * -bp}, {@code -q}, {@code -V}.
 *
 * <p>Exit status as sendmail's (sysexits.h): 0 queued (or waiting in maildrop), 64 usage (no
 * recipients, bad option), 65 data (message too big, bad address header), 66 standard input
 * unreadable, 69 refused by cleanup (5xx), 70 internal error, 75 maildrop cannot be written (try
 * again), 78 configuration. Messages on standard error: {@code sendmail: fatal: ...}, {@code
 * sendmail: warning: ...}.
 */
@Command(
    name = "sendmail",
    description = "Submit a message read on standard input, as sendmail(1).",
    exitCodeOnInvalidInput = SendmailCommand.EX_USAGE,
    exitCodeOnExecutionException = SendmailCommand.EX_SOFTWARE)
final class SendmailCommand implements Callable<Integer> {
  static final int EX_USAGE = 64;
  static final int EX_DATAERR = 65;
  static final int EX_NOINPUT = 66;
  static final int EX_UNAVAILABLE = 69;
  static final int EX_SOFTWARE = 70;
  static final int EX_CANTCREAT = 73;
  static final int EX_TEMPFAIL = 75;
  static final int EX_CONFIG = 78;

  private static final String PROGRAM = "sendmail: ";
  private static final Duration PICKUP_WAIT = Duration.ofSeconds(60);

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = {"-f", "-r"}, paramLabel = "SENDER", description = "The envelope sender.")
  String sender;

  @Option(names = "-F", paramLabel = "NAME", description = "The sender's full name.")
  String fullName;

  @Option(names = "-t", description = "Take recipients from To:, Cc:, Bcc: (Bcc: removed).")
  boolean extract;

  @Option(names = {"-i", "-oi"}, description = "A line with a single . does not end the message.")
  boolean ignoreDots;

  @Option(names = "-N", paramLabel = "DSN",
      description = "Delivery status notifications: never, or success,failure,delay.")
  String notify;

  @Option(names = "-R", paramLabel = "RET", description = "What a notice returns: full or hdrs.")
  String ret;

  @Option(names = "-B", paramLabel = "TYPE", description = "Body type: 7BIT or 8BITMIME.")
  String bodyType;

  @Option(names = "-C", paramLabel = "CONFDIR", description = "Configuration directory.")
  String configDirectory;

  @Option(names = "-b", paramLabel = "MODE", description = "Mode: m (deliver mail, default), v (verify the recipients: a report, no delivery).")
  String mode;

  @Option(names = "-o", paramLabel = "OPTION", description = "Sendmail options (ignored).")
  List<String> ignoredOptions = new ArrayList<>();

  @Option(names = "-v", description = "Say the queue id of the message; with -bv, print the report.")
  boolean verbose;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(paramLabel = "RECIPIENT", description = "Recipient addresses.")
  List<String> recipients = new ArrayList<>();

  /** Ends the command with an exit status and one line on standard error. */
  private static final class Exit extends Exception {
    final int status;

    Exit(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return submit(err);
    } catch (Exit e) {
      err.println(PROGRAM + "fatal: " + e.getMessage());
      return e.status;
    } finally {
      err.flush();
    }
  }

  private int submit(PrintWriter err) throws Exit {
    if ("v".equals(mode)) {
      return verify(err);
    }
    if (mode != null && !mode.equals("m")) {
      throw new Exit(EX_USAGE, "-b" + mode + " is not supported (only -bm and -bv)");
    }
    int notifyFlags = notifyFlags();
    DsnRet dsnRet = ret();
    BodyType body = body();
    if (recipients.isEmpty() && !extract) {
      throw new Exit(EX_USAGE, "no recipients specified (give them, or -t)");
    }
    ConfigOption.Loaded loaded;
    try {
      loaded = ConfigOption.read(configDirectory != null ? configDirectory
          : main.configDirectory(), w -> err.println(PROGRAM + "warning: " + w));
    } catch (ConfigException e) {
      throw new Exit(EX_CONFIG, e.getMessage());
    }
    Path queueDir = MailSystem.queueDirectory(loaded);
    if (!Files.isDirectory(queueDir)) {
      throw new Exit(EX_CONFIG, "queue_directory " + queueDir + " does not exist (start the mail "
          + "system once, or check queue_directory)");
    }
    List<String> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.addAll(addresses("recipient " + r, r));
    }
    byte[] content = read(loaded.config().get(MailParams.MESSAGE_SIZE_LIMIT));
    if (extract) {
      HeaderRecipients.Result found;
      try {
        found = HeaderRecipients.extract(content);
      } catch (IllegalArgumentException e) {
        throw new Exit(EX_DATAERR, e.getMessage());
      }
      rcpts.addAll(found.recipients());
      content = found.content();
    }
    Set<String> unique = new LinkedHashSet<>(rcpts);
    if (unique.isEmpty()) {
      throw new Exit(EX_DATAERR, "no recipient addresses found in message header");
    }
    String from = sender();
    if (fullName != null && !from.isEmpty()) {
      content = FromHeader.withFullName(content, fullName, qualified(from, loaded));
    }
    List<Recipient> envelope = unique.stream()
        .map(a -> new Recipient(a, null, notifyFlags)).toList();
    Clock clock = Clock.systemUTC();
    Submission s = new Submission(clock.millis(), from, null, dsnRet, body, envelope, content);
    Path file;
    try {
      file = Maildrop.of(queueDir).write(s, new QueueIdGenerator(clock));
    } catch (AccessDeniedException e) {
      throw new Exit(EX_CANTCREAT, "cannot write to " + Maildrop.of(queueDir).directory()
          + ": permission denied");
    } catch (IOException | RuntimeException e) {
      throw new Exit(EX_TEMPFAIL, "cannot write to " + Maildrop.of(queueDir).directory() + ": "
          + e.getMessage());
    }
    return poke(queueDir, file.getFileName().toString(), err);
  }

  /**
   * {@code -bv}: each recipient is resolved and its destination asked (MAIL FROM:&lt;&gt;, RCPT
   * TO, QUIT), nothing is delivered. With {@code -v} the report goes to standard output;
   * otherwise it is mailed to the sender, as Postfix does.
   */
  private int verify(PrintWriter err) throws Exit {
    if (recipients.isEmpty()) {
      throw new Exit(EX_USAGE, "no recipients specified");
    }
    ConfigOption.Loaded loaded;
    try {
      loaded = ConfigOption.read(configDirectory != null ? configDirectory
          : main.configDirectory(), w -> err.println(PROGRAM + "warning: " + w));
    } catch (ConfigException e) {
      throw new Exit(EX_CONFIG, e.getMessage());
    }
    Path confDir = Path.of(configDirectory != null ? configDirectory : main.configDirectory());
    io.gannet.sendmail.AddressVerifier verifier =
        new io.gannet.sendmail.AddressVerifier(loaded.config(), loaded.master(), confDir);
    StringBuilder report = new StringBuilder();
    for (String r : recipients) {
      for (String a : addresses("recipient " + r, r)) {
        report.append(verifier.verify(a).line()).append('\n');
      }
    }
    if (verbose) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(report);
      out.flush();
      return 0;
    }
    Path queueDir = MailSystem.queueDirectory(loaded);
    if (!Files.isDirectory(queueDir)) {
      throw new Exit(EX_CONFIG, "queue_directory " + queueDir + " does not exist");
    }
    String to = qualified(sender().isEmpty() ? "postmaster" : sender(), loaded);
    String host = loaded.config().expanded("myhostname");
    byte[] content = ("From: MAILER-DAEMON@" + host + " (Mail Delivery System)\r\n"
        + "To: " + to + "\r\n"
        + "Subject: Mail Delivery Status Report\r\n"
        + "Auto-Submitted: auto-replied\r\n"
        + "\r\n"
        + "This is the mail system at host " + host + ".\r\n\r\n"
        + "Enclosed is the mail delivery status report that you requested.\r\n\r\n"
        + report.toString().replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    Clock clock = Clock.systemUTC();
    Submission s = new Submission(clock.millis(), "", null, DsnRet.DEFAULT, BodyType.SEVEN_BIT,
        List.of(new Recipient(to, null, Recipient.NOTIFY_NEVER)), content);
    Path file;
    try {
      file = Maildrop.of(queueDir).write(s, new QueueIdGenerator(clock));
    } catch (IOException | RuntimeException e) {
      throw new Exit(EX_TEMPFAIL, "cannot write to " + Maildrop.of(queueDir).directory() + ": "
          + e.getMessage());
    }
    return poke(queueDir, file.getFileName().toString(), err);
  }

  private byte[] read(long limit) throws Exit {
    try {
      return new MessageReader(!ignoreDots, limit)
          .read(new BufferedInputStream(main.stdin()));
    } catch (MessageReader.TooBigException e) {
      throw new Exit(EX_DATAERR, e.getMessage());
    } catch (IOException e) {
      throw new Exit(EX_NOINPUT, "cannot read standard input: " + e.getMessage());
    }
  }

  /** Tells the running daemon; the message is safe in maildrop whatever happens here. */
  private int poke(Path queueDir, String name, PrintWriter err) throws Exit {
    String waits = "; the message waits in maildrop as " + name;
    try {
      if (QueueLock.holder(queueDir).isEmpty()) {
        err.println(PROGRAM + "warning: the mail system is not running" + waits
            + " until it starts");
        return 0;
      }
      AdminResponse r = new AdminClient(queueDir, PICKUP_WAIT).request("pickup", name);
      if (!r.ok()) {
        err.println(PROGRAM + "warning: " + r.error() + waits);
        return 0;
      }
      String line = r.lines().isEmpty() ? "" : r.lines().get(0);
      int sp = line.indexOf(' ');
      String kind = sp < 0 ? line : line.substring(0, sp);
      String detail = sp < 0 ? "" : line.substring(sp + 1);
      switch (kind) {
        case "queued" -> {
          if (verbose) {
            err.println(PROGRAM + "queued as " + detail);
          }
          return 0;
        }
        case "discarded", "unknown" -> {
          return 0;
        }
        case "rejected" -> throw new Exit(EX_UNAVAILABLE, "message rejected: " + detail);
        case "corrupt" -> throw new Exit(EX_SOFTWARE, "message file unusable: " + detail);
        default -> {
          err.println(PROGRAM + "warning: not queued yet: " + detail + waits);
          return 0;
        }
      }
    } catch (AdminUnavailableException e) {
      err.println(PROGRAM + "warning: the mail system is not running" + waits
          + " until it starts");
      return 0;
    } catch (IOException e) {
      err.println(PROGRAM + "warning: cannot reach the mail system: " + e.getMessage() + waits);
      return 0;
    }
  }

  private static List<String> addresses(String where, String list) throws Exit {
    try {
      List<String> a = HeaderRecipients.addresses(where, list);
      if (a.isEmpty()) {
        throw new Exit(EX_USAGE, "bad " + where);
      }
      return a;
    } catch (IllegalArgumentException e) {
      throw new Exit(EX_USAGE, e.getMessage());
    }
  }

  /** -f as given ("" or "<>" for the null sender), else the login name. */
  private String sender() throws Exit {
    if (sender == null) {
      return System.getProperty("user.name", "nobody");
    }
    String s = sender.strip();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    if (s.chars().anyMatch(c -> c < ' ' || c == 127 || c == '<' || c == '>')) {
      throw new Exit(EX_USAGE, "bad sender address: " + sender);
    }
    return s;
  }

  /** The sender with @myorigin when it has no domain (what cleanup makes of it). */
  private static String qualified(String sender, ConfigOption.Loaded loaded) {
    return sender.indexOf('@') >= 0 ? sender
        : sender + "@" + loaded.config().get(MailParams.MYORIGIN).strip();
  }

  private int notifyFlags() throws Exit {
    if (notify == null) {
      return Recipient.NOTIFY_DEFAULT;
    }
    int flags = 0;
    for (String word : notify.toLowerCase(Locale.ROOT).split(",")) {
      switch (word.strip()) {
        case "never" -> flags |= Recipient.NOTIFY_NEVER;
        case "success" -> flags |= Recipient.NOTIFY_SUCCESS;
        case "failure" -> flags |= Recipient.NOTIFY_FAILURE;
        case "delay" -> flags |= Recipient.NOTIFY_DELAY;
        default -> throw new Exit(EX_USAGE, "bad -N value: " + notify
            + " (never, or success, failure, delay separated by commas)");
      }
    }
    if ((flags & Recipient.NOTIFY_NEVER) != 0 && flags != Recipient.NOTIFY_NEVER) {
      throw new Exit(EX_USAGE, "-N never cannot be combined with other values");
    }
    return flags;
  }

  private DsnRet ret() throws Exit {
    if (ret == null) {
      return DsnRet.DEFAULT;
    }
    return switch (ret.toLowerCase(Locale.ROOT)) {
      case "full" -> DsnRet.FULL;
      case "hdrs" -> DsnRet.HDRS;
      default -> throw new Exit(EX_USAGE, "bad -R value: " + ret + " (full or hdrs)");
    };
  }

  private BodyType body() throws Exit {
    if (bodyType == null) {
      return BodyType.UNSPECIFIED;
    }
    return switch (bodyType.toUpperCase(Locale.ROOT)) {
      case "7BIT" -> BodyType.SEVEN_BIT;
      case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
      default -> throw new Exit(EX_USAGE, "bad -B value: " + bodyType + " (7BIT or 8BITMIME)");
    };
  }
}
