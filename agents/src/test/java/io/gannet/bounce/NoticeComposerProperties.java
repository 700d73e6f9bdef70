package io.gannet.bounce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.bounce.NoticeRequest.Action;
import io.gannet.bounce.NoticeRequest.Entry;
import io.gannet.bounce.NoticeRequest.Original;
import io.gannet.global.Config;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.NoticeKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the envelope, the replies and the original contain, a notice is a well-formed report:
 * CRLF only, no line over 998 octets, a complete multipart/report with one delivery-status block
 * per recipient, and a returned original that is the original with its line ends normalized.
 */
class NoticeComposerProperties {

  private static final NoticeComposer COMPOSER = new NoticeComposer(
      Config.of(Map.of("myhostname", "mx.example.net", "bounce_size_limit", "4000")),
      Clock.fixed(Instant.ofEpochMilli(States.ARRIVAL + 7_200_000), ZoneOffset.UTC));

  @Property(tries = 300)
  void everyNoticeIsWellFormed(
      @ForAll("kinds") NoticeKind kind,
      @ForAll("rets") DsnRet ret,
      @ForAll boolean smtputf8,
      @ForAll("texts") String envid,
      @ForAll("contents") byte[] content,
      @ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("entries") RawEntry> entries)
      throws Exception {
    Original o = new Original(States.QID, "alice@example.org", envid.isEmpty() ? null : envid,
        ret, smtputf8, States.ARRIVAL, content);
    List<Entry> fitted = new ArrayList<>();
    Action a = kind == NoticeKind.BOUNCE ? Action.FAILED
        : kind == NoticeKind.DELAY ? Action.DELAYED : Action.DELIVERED;
    for (RawEntry e : entries) {
      fitted.add(Entry.of(new Recipient(e.address(), e.orcpt(), 0), a, e.dsn(), e.reply(),
          e.relay()));
    }
    DueNotice due = new DueNotice(kind, Audience.SENDER, "", "alice@example.org",
        IntStream.range(0, fitted.size()).boxed().toList());
    ComposedNotice n = COMPOSER.compose(new NoticeRequest(due, o, fitted),
        QueueId.of(States.ARRIVAL + 1, 1, 1));

    ParsedNotice p = new ParsedNotice(n.content()); // checks lines, CRLF, structure
    assertEquals(fitted.size() + 1, p.deliveryStatus().size());
    if (p.parts.size() == 3 && p.baseType(2).matches("message/(rfc822|global)")) {
      assertArrayEquals(OriginalPart.normalize(content), p.bytes(2));
    }
  }

  @Provide
  Arbitrary<NoticeKind> kinds() {
    return Arbitraries.of(NoticeKind.class);
  }

  @Provide
  Arbitrary<DsnRet> rets() {
    return Arbitraries.of(DsnRet.class);
  }

  /** Text with spaces, controls, line breaks and non-ASCII, sometimes very long. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> words = Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyz0123456789 <>@.;:()[]-+=\\\"")
        .withChars('\r', '\n', '\t', '\u0000', '\u00e9', '\u7528', '\u0085')
        .ofMaxLength(120);
    Arbitrary<String> longOnes = Arbitraries.strings().withChars("xy ").ofMinLength(900)
        .ofMaxLength(2500);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, words), net.jqwik.api.Tuple.of(1, longOnes));
  }

  /** A recipient's journal data, before {@link Entry#of} makes it safe. */
  record RawEntry(String address, String orcpt, String dsn, String reply, String relay) {}

  @Provide
  Arbitrary<RawEntry> entries() {
    Arbitrary<String> address = Arbitraries.of("bob@example.com", "\u7528\u6237@example.com",
        "x+y=z@example.com", "a\\b@example.com");
    Arbitrary<String> orcpt = Arbitraries.of(null, "rfc822;bob@example.com",
        "utf-8;\u7528\u6237@example.com", "x400;/G=A/");
    Arbitrary<String> status = Arbitraries.of(null, "5.1.1", "4.4.1", "2.0.0", "junk", "9.9.9");
    Arbitrary<String> reply = texts().map(t -> "host mx.example.com[192.0.2.1] said: 550 " + t);
    Arbitrary<String> relay = Arbitraries.of(null, "none", "mx.example.com[192.0.2.1]:25",
        "local");
    return Combinators.combine(address, orcpt, status,
            Arbitraries.oneOf(reply, texts()), relay)
        .as(RawEntry::new);
  }

  /** Messages: header-like lines and body lines, bare CR and LF, 8-bit, long lines, NULs. */
  @Provide
  Arbitrary<byte[]> contents() {
    Arbitrary<String> line = Arbitraries.oneOf(
        Arbitraries.of("Subject: test", "From: a@b.example", "X-Folded: a\r\n\tb", "",
            "--boundary", "."),
        Arbitraries.strings().withChars("abc \u00e9\u00fc").ofMaxLength(80),
        Arbitraries.strings().withChars("z").ofMinLength(990).ofMaxLength(1010));
    Arbitrary<String> sep = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r");
    return Combinators.combine(line.list().ofMaxSize(30), sep.list().ofSize(30))
        .as((lines, seps) -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i)).append(seps.get(i));
          }
          return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        })
        .injectNull(0.05);
  }
}
