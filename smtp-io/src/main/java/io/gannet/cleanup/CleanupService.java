package io.gannet.cleanup;

import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.Recipient;
import io.gannet.global.table.LookupTables;
import io.gannet.global.table.TableList;
import io.gannet.journal.JournalRecord;
import io.gannet.rewrite.AddressClass;
import io.gannet.rewrite.TrivialRewrite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * NAME
 *
 * <p>cleanup - canonicalize and enqueue mail
 *
 * <p>DESCRIPTION
 *
 * <p>Gannet's counterpart of Postfix's cleanup(8): the last step before a message becomes an {@code
 * Accepted} journal record. It runs in the caller's thread (smtpd, sendmail, bounce) and is
 * thread-safe; its configuration and tables are read once, at construction.
 *
 * <p>Envelope: the sender goes through trivial-rewrite canonicalization, {@code
 * sender_canonical_maps}, then {@code canonical_maps}; each recipient through canonicalization,
 * {@code recipient_canonical_maps}, {@code canonical_maps}, then {@code virtual_alias_maps}
 * expansion (one recipient may become many; see {@link VirtualAliasExpander}). Duplicate final
 * recipients are removed (the first keeps its DSN options). A recipient whose address changed keeps
 * what it was received as in its ORCPT ({@code rfc822;} + xtext), unless the client gave an ORCPT.
 * Only the envelope is rewritten: {@code From:}/{@code To:} headers are not.
 *
 * <p>Content: one scan over the header block ({@link HeaderBlock}). A {@code Received:} header is
 * prepended in Postfix's form; {@code hopcount_limit} counts the {@code Received:} headers, this
 * one included, and more than the limit refuses the message ({@code 554 5.4.6 too many hops}).
 * {@code header_checks} see each logical header unfolded, {@code body_checks} each body line of the
 * first {@code body_checks_size_limit} bytes (skipped entirely when empty); actions are listed in
 * {@link CheckAction}. Missing {@code Message-ID:} ({@code <QUEUEID@$myhostname>}), {@code Date:}
 * and {@code From:} headers are added at the end of the header block for local submissions, and for
 * remote clients only when {@code always_add_missing_headers = yes}: Postfix's default since 2.6,
 * because adding headers to relayed mail may break DKIM signatures. The body is copied once, into
 * the new content.
 *
 * <p>TRUST: the content and envelope come from clients and are untrusted: any bytes, bare LF
 * included, are carried without failing. A failure inside cleanup itself becomes a temporary
 * refusal ({@code 451 4.3.0}), so the client keeps the mail and tries again.
 *
 * <p>DIAGNOSTICS (logger {@code gannet/cleanup}): {@code QUEUEID: message-id=<...>}; {@code
 * QUEUEID: reject|hold|discard|warning|info: header|body TEXT from CLIENT; from=<..> to=<..>
 * proto=.. helo=<..>: TEXT}; alias expansion limits as warnings.
 *
 * <p>CONFIGURATION PARAMETERS: myhostname, mail_name (Gannet), hopcount_limit (50), canonical_maps,
 * sender_canonical_maps, recipient_canonical_maps, virtual_alias_maps (all empty),
 * virtual_alias_expansion_limit (1000), virtual_alias_recursion_limit (1000), header_checks,
 * body_checks (empty), body_checks_size_limit (51200), always_add_missing_headers (no).
 *
 * <p>NOT DONE: header address rewriting, masquerade_domains, address extensions
 * (recipient_delimiter), MIME-aware checks (mime_header_checks, nested_header_checks),
 * PREPEND/REPLACE/REDIRECT/FILTER/BCC actions, {@code To: undisclosed-recipients:;}, Resent-
 * headers, milters.
 *
 * <p>SEE ALSO: {@link io.gannet.rewrite.TrivialRewriteService}, Postfix cleanup(8),
 * header_checks(5), canonical(5), virtual(5).
 */
public final class CleanupService implements Cleanup {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final int LOG_TEXT_LIMIT = 200;

  private final String myhostname;
  private final String mailName;
  private final int hopcountLimit;
  private final boolean alwaysAddMissingHeaders;
  private final long bodyChecksSizeLimit;
  private final ZoneId zone;
  private final TrivialRewrite rewrite;
  private final CanonicalMapper senderCanonical;
  private final CanonicalMapper recipientCanonical;
  private final CanonicalMapper canonical;
  private final VirtualAliasExpander virtualAlias;
  private final TableList headerChecks;
  private final TableList bodyChecks;
  private final CleanupLog log;

  /**
   * Reads the parameters and opens the tables named in {@code config} (relative paths against
   * {@code configDirectory}). The clock supplies the time zone of {@code Received:} and {@code
   * Date:}. Throws {@link io.gannet.global.table.LookupTableException} or {@link
   * IllegalArgumentException} naming the parameter or table at fault.
   */
  public CleanupService(Config config, TrivialRewrite rewrite, Path configDirectory, Clock clock) {
    this(config, rewrite, configDirectory, clock, CleanupLog.slf4j());
  }

  CleanupService(
      Config config, TrivialRewrite rewrite, Path configDirectory, Clock clock, CleanupLog log) {
    this.myhostname = config.get(MailParams.MYHOSTNAME).strip();
    this.mailName = config.get(MailParams.MAIL_NAME).strip();
    this.hopcountLimit = config.get(MailParams.HOPCOUNT_LIMIT);
    this.alwaysAddMissingHeaders = config.get(MailParams.ALWAYS_ADD_MISSING_HEADERS);
    this.bodyChecksSizeLimit = config.get(MailParams.BODY_CHECKS_SIZE_LIMIT);
    this.zone = clock.getZone();
    this.rewrite = rewrite;
    Predicate<String> local =
        domain -> rewrite.classify("postmaster@" + domain) == AddressClass.LOCAL;
    this.senderCanonical =
        mapper(config, MailParams.SENDER_CANONICAL_MAPS.name(), local, configDirectory);
    this.recipientCanonical =
        mapper(config, MailParams.RECIPIENT_CANONICAL_MAPS.name(), local, configDirectory);
    this.canonical = mapper(config, MailParams.CANONICAL_MAPS.name(), local, configDirectory);
    this.virtualAlias =
        new VirtualAliasExpander(
            LookupTables.openList(config, MailParams.VIRTUAL_ALIAS_MAPS, configDirectory),
            rewrite,
            local,
            config.get(MailParams.VIRTUAL_ALIAS_EXPANSION_LIMIT),
            config.get(MailParams.VIRTUAL_ALIAS_RECURSION_LIMIT));
    this.headerChecks = LookupTables.openList(config, MailParams.HEADER_CHECKS, configDirectory);
    this.bodyChecks = LookupTables.openList(config, MailParams.BODY_CHECKS, configDirectory);
    this.log = log;
  }

  private CanonicalMapper mapper(
      Config config, String name, Predicate<String> local, Path configDirectory) {
    TableList maps = LookupTables.openList(config, MailParams.byName(name), configDirectory);
    return new CanonicalMapper(name, maps, rewrite, local);
  }

  @Override
  public CleanupResult process(CleanupInput input) {
    try {
      return new Job(input).run();
    } catch (RuntimeException e) {
      log.warn(input.queueId() + ": warning: cleanup failed: " + e);
      return new CleanupResult.Reject(451, "4.3.0", "Error: internal error, try again later");
    }
  }

  /** The work on one message; not shared between threads. */
  private final class Job {
    private final CleanupInput in;
    private final String qid;
    private String sender;

    /** The first header_checks/body_checks action that ends processing, if any. */
    private CheckAction terminal;

    private String holdReason;

    Job(CleanupInput in) {
      this.in = in;
      this.qid = in.queueId().toString();
    }

    CleanupResult run() {
      if (in.recipients().isEmpty()) {
        return new CleanupResult.Reject(554, "5.5.1", "Error: no valid recipients");
      }
      sender = canonical.map(senderCanonical.map(rewrite.canonicalize(in.sender()), log), log);
      List<Recipient> recipients;
      try {
        recipients = recipients();
      } catch (VirtualAliasExpander.LimitExceeded e) {
        log.warn(
            qid + ": warning: " + e.getMessage() + " -- message not accepted, try again later");
        return new CleanupResult.Reject(451, "4.3.0", "Error: alias expansion error");
      }

      byte[] content = in.content();
      HeaderBlock h = HeaderBlock.parse(content);
      int received = 0;
      boolean hasFrom = false;
      boolean hasDate = false;
      String messageId = null;
      boolean[] ignored = null;
      for (int i = 0; i < h.count(); i++) {
        if (!headerChecks.isEmpty() && terminal == null) {
          String text = h.unfolded(i);
          String result = headerChecks.find(text);
          if (result != null && act(CheckAction.parse(result), "header", text)) {
            ignored = ignored == null ? new boolean[h.count()] : ignored;
            ignored[i] = true;
            continue;
          }
        }
        if (h.nameIs(i, "Received")) {
          received++;
        } else if (h.nameIs(i, "From")) {
          hasFrom = true;
        } else if (h.nameIs(i, "Date")) {
          hasDate = true;
        } else if (messageId == null && h.nameIs(i, "Message-ID")) {
          messageId = h.value(i);
        }
      }

      if (received + 1 > hopcountLimit) {
        log.info(
            qid
                + ": reject: "
                + (received + 1)
                + " Received: headers"
                + context()
                + ": 5.4.6 too many hops");
        return new CleanupResult.Reject(554, "5.4.6", "too many hops");
      }
      if (terminal != null) {
        return finish(terminal);
      }

      List<String> added = new ArrayList<>(3);
      if (in.localSubmission() || alwaysAddMissingHeaders) {
        if (messageId == null) {
          messageId = "<" + qid + "@" + myhostname + ">";
          added.add("Message-ID: " + messageId);
        }
        if (!hasDate) {
          added.add("Date: " + MailDate.format(in.arrivalMillis(), zone));
        }
        if (!hasFrom) {
          added.add("From: " + (sender.isEmpty() ? "MAILER-DAEMON" : sender));
        }
      }
      log.info(qid + ": message-id=" + (messageId == null ? "<>" : messageId));

      int[] ignoredBody = bodyChecks.isEmpty() ? null : checkBody(content, h);
      if (terminal != null) {
        return finish(terminal);
      }

      byte[] out = assemble(content, h, ignored, added, ignoredBody);
      JournalRecord.Accepted record =
          new JournalRecord.Accepted(
              in.queueId(),
              in.arrivalMillis(),
              in.client(),
              sender,
              in.envid(),
              in.ret(),
              in.body(),
              in.smtputf8(),
              recipients,
              out);
      return new CleanupResult.Accept(record, holdReason != null, holdReason);
    }

    private List<Recipient> recipients() throws VirtualAliasExpander.LimitExceeded {
      Map<String, Recipient> out = new LinkedHashMap<>();
      for (Recipient r : in.recipients()) {
        String a = rewrite.canonicalize(r.address());
        a = canonical.map(recipientCanonical.map(a, log), log);
        for (String fin : virtualAlias.expand(a)) {
          String orcpt = r.orcpt();
          if (orcpt == null && !fin.equals(r.address())) {
            orcpt = "rfc822;" + xtext(r.address());
          }
          out.putIfAbsent(fin, new Recipient(fin, orcpt, r.notifyFlags()));
        }
      }
      return List.copyOf(out.values());
    }

    /**
     * Applies one action; returns true when the line is to be deleted (IGNORE). Terminal actions
     * are remembered in {@link #terminal}.
     */
    private boolean act(CheckAction a, String where, String text) {
      String what = where + " " + abbreviate(text);
      switch (a.kind()) {
        case REJECT:
        case DEFER:
          CleanupResult.Reject r = a.toReject();
          log.info(
              qid + ": reject: " + what + context() + ": " + r.enhancedStatus() + " " + r.text());
          terminal = a;
          return false;
        case DISCARD:
          log.info(qid + ": discard: " + what + context() + suffix(a.text()));
          terminal = a;
          return false;
        case HOLD:
          log.info(qid + ": hold: " + what + context() + suffix(a.text()));
          if (holdReason == null) {
            holdReason = a.text().isEmpty() ? what : a.text();
          }
          return false;
        case WARN:
          log.info(qid + ": warning: " + what + context() + suffix(a.text()));
          return false;
        case INFO:
          log.info(qid + ": info: " + what + context() + suffix(a.text()));
          return false;
        case IGNORE:
          return true;
        case UNKNOWN:
          log.warn(
              qid
                  + ": warning: "
                  + where
                  + "_checks: unknown action \""
                  + abbreviate(a.text())
                  + "\" ignored");
          return false;
        default:
          return false;
      }
    }

    private CleanupResult finish(CheckAction a) {
      if (a.kind() == CheckAction.Kind.DISCARD) {
        return new CleanupResult.Discard(a.text().isEmpty() ? "content checks" : a.text());
      }
      return a.toReject();
    }

    /**
     * Runs body_checks over the body lines within body_checks_size_limit; returns the ranges of
     * lines to delete as (start, end) pairs, or null.
     */
    private int[] checkBody(byte[] content, HeaderBlock h) {
      int[] ranges = null;
      int nranges = 0;
      int pos = h.bodyStart();
      long limit = Math.min(content.length, h.bodyStart() + bodyChecksSizeLimit);
      while (pos < limit && terminal == null) {
        int lineEnd = h.lineEnd(pos);
        String line =
            new String(content, pos, h.textEnd(pos, lineEnd) - pos, StandardCharsets.UTF_8);
        String result = bodyChecks.find(line);
        if (result != null && act(CheckAction.parse(result), "body", line)) {
          if (ranges == null) {
            ranges = new int[8];
          } else if (nranges + 2 > ranges.length) {
            ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
          }
          ranges[nranges++] = pos;
          ranges[nranges++] = lineEnd;
        }
        pos = lineEnd;
      }
      return ranges == null ? null : java.util.Arrays.copyOf(ranges, nranges);
    }

    /** The new content: Received:, kept headers, added headers, separator and body. */
    private byte[] assemble(
        byte[] content, HeaderBlock h, boolean[] ignored, List<String> added, int[] ignoredBody) {
      ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
      head.writeBytes(receivedHeader().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < h.count(); i++) {
        if (ignored != null && ignored[i]) {
          continue;
        }
        head.write(content, h.start(i), h.end(i) - h.start(i));
        if (!h.endsWithNewline(i)) {
          head.writeBytes(CRLF);
        }
      }
      for (String a : added) {
        head.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        head.writeBytes(CRLF);
      }
      int tailStart = h.separator() >= 0 ? h.separator() : h.bodyStart();
      boolean separator = h.needsSeparator();
      int tailLength = content.length - tailStart;
      if (ignoredBody != null) {
        for (int k = 0; k < ignoredBody.length; k += 2) {
          tailLength -= ignoredBody[k + 1] - ignoredBody[k];
        }
      }
      byte[] out = new byte[head.size() + (separator ? 2 : 0) + tailLength];
      byte[] headBytes = head.toByteArray();
      System.arraycopy(headBytes, 0, out, 0, headBytes.length);
      int o = headBytes.length;
      if (separator) {
        out[o++] = '\r';
        out[o++] = '\n';
      }
      int from = tailStart;
      if (ignoredBody != null) {
        for (int k = 0; k < ignoredBody.length; k += 2) {
          System.arraycopy(content, from, out, o, ignoredBody[k] - from);
          o += ignoredBody[k] - from;
          from = ignoredBody[k + 1];
        }
      }
      System.arraycopy(content, from, out, o, content.length - from);
      return out;
    }

    /** Postfix's Received: header, CRLF-terminated. */
    private String receivedHeader() {
      ClientInfo c = in.client();
      StringBuilder sb = new StringBuilder(256);
      if (in.localSubmission()) {
        sb.append("Received: by ")
            .append(myhostname)
            .append(" (")
            .append(mailName)
            .append(")\r\n\tid ")
            .append(qid);
      } else {
        String helo = c.helo().isEmpty() ? c.name() : c.helo();
        String addr = c.address().indexOf(':') >= 0 ? "IPv6:" + c.address() : c.address();
        sb.append("Received: from ")
            .append(clean(helo))
            .append(" (")
            .append(clean(c.name()))
            .append(" [")
            .append(clean(addr))
            .append("])\r\n\tby ")
            .append(myhostname)
            .append(" (")
            .append(mailName)
            .append(") with ")
            .append(protocol(c))
            .append(" id ")
            .append(qid);
      }
      if (in.recipients().size() == 1) {
        sb.append("\r\n\tfor <").append(clean(in.recipients().get(0).address())).append(">; ");
      } else {
        sb.append(";\r\n\t");
      }
      return sb.append(MailDate.format(in.arrivalMillis(), zone)).append("\r\n").toString();
    }

    private String protocol(ClientInfo c) {
      String p = clean(c.protocol());
      return in.smtputf8() && p.startsWith("ESMTP") ? "UTF8SMTP" + p.substring(5) : p;
    }

    /** {@code from name[addr]; from=<s> to=<r> proto=P helo=<h>} as Postfix's cleanup logs. */
    private String context() {
      ClientInfo c = in.client();
      String client = in.localSubmission() ? "local" : c.name() + "[" + c.address() + "]";
      return " from "
          + client
          + "; from=<"
          + in.sender()
          + "> to=<"
          + in.recipients().get(0).address()
          + "> proto="
          + c.protocol()
          + " helo=<"
          + c.helo()
          + ">";
    }
  }

  private static String suffix(String text) {
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String abbreviate(String s) {
    return s.length() > LOG_TEXT_LIMIT ? s.substring(0, LOG_TEXT_LIMIT) : s;
  }

  /** Client-supplied text in a header: no control characters, so no header injection. */
  private static String clean(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 32 || s.charAt(i) == 127) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
          char ch = s.charAt(k);
          sb.append(ch < 32 || ch == 127 ? '?' : ch);
        }
        return sb.toString();
      }
    }
    return s;
  }

  /** RFC 3461 xtext: '+', '=' and bytes outside '!'..'~' as +HH (of the UTF-8 bytes). */
  static String xtext(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int v = b & 0xff;
      if (v >= '!' && v <= '~' && v != '+' && v != '=') {
        sb.append((char) v);
      } else {
        sb.append('+')
            .append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
      }
    }
    return sb.toString();
  }
}
