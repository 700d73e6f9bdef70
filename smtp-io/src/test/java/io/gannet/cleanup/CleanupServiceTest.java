package io.gannet.cleanup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.rewrite.TrivialRewriteService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupServiceTest {

  private static final long ARRIVAL = Instant.parse("2026-03-03T09:05:01Z").toEpochMilli();
  private static final QueueId QID = QueueId.of(ARRIVAL, 7, 42);
  private static final ClientInfo CLIENT =
      new ClientInfo("192.0.2.10", "client.example.org", "helo.example.org", "ESMTP");
  private static final String DATE = "Tue,  3 Mar 2026 09:05:01 +0000 (UTC)";

  @TempDir Path dir;
  private final Map<String, String> mainCf =
      new HashMap<>(
          Map.of(
              "myhostname",
              "mx.example.net",
              "mydomain",
              "example.net",
              "myorigin",
              "$mydomain",
              "mydestination",
              "$myhostname, localhost, $mydomain"));
  private final List<String> logged = new ArrayList<>();

  private CleanupService cleanup() {
    Config config = Config.of(mainCf);
    CleanupLog sink =
        new CleanupLog() {
          @Override
          public void info(String line) {
            logged.add(line);
          }

          @Override
          public void warn(String line) {
            logged.add(line);
          }
        };
    return new CleanupService(
        config,
        new TrivialRewriteService(config, dir),
        dir,
        Clock.fixed(Instant.EPOCH, ZoneId.of("UTC")),
        sink);
  }

  private Path table(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static CleanupInput input(String content, boolean local, String sender, String... rcpts) {
    List<Recipient> rs = new ArrayList<>();
    for (String r : rcpts) {
      rs.add(Recipient.of(r));
    }
    return new CleanupInput(
        QID,
        ARRIVAL,
        local ? ClientInfo.LOCAL : CLIENT,
        sender,
        null,
        DsnRet.DEFAULT,
        BodyType.UNSPECIFIED,
        false,
        rs,
        content.getBytes(UTF_8),
        local);
  }

  private static CleanupInput remote(String content, String... rcpts) {
    return input(content, false, "sender@example.org", rcpts);
  }

  private CleanupResult.Accept accept(CleanupInput in) {
    return assertInstanceOf(CleanupResult.Accept.class, cleanup().process(in));
  }

  private static String text(CleanupResult.Accept a) {
    return new String(a.record().content(), UTF_8);
  }

  /** The content after the Received: header cleanup prepends. */
  private static String afterReceived(CleanupResult.Accept a) {
    String s = text(a);
    int end = s.indexOf(DATE + "\r\n");
    return s.substring(end + DATE.length() + 2);
  }

  private static List<String> addresses(CleanupResult.Accept a) {
    return a.record().recipients().stream().map(Recipient::address).collect(Collectors.toList());
  }

  // ---- Received:, Message-ID:, Date:, From: ------------------------------------------------

  @Test
  void receivedHeaderHasPostfixFormWithForClauseForOneRecipient() {
    CleanupResult.Accept a = accept(remote("Subject: hi\r\n\r\nbody\r\n", "rcpt@example.com"));
    assertEquals(
        "Received: from helo.example.org (client.example.org [192.0.2.10])\r\n"
            + "\tby mx.example.net (Gannet) with ESMTP id "
            + QID
            + "\r\n"
            + "\tfor <rcpt@example.com>; "
            + DATE
            + "\r\n"
            + "Subject: hi\r\n\r\nbody\r\n",
        text(a));
  }

  @Test
  void receivedHeaderHasNoForClauseWithSeveralRecipients() {
    String t = text(accept(remote("Subject: hi\r\n\r\nb\r\n", "a@example.com", "b@example.com")));
    assertTrue(
        t.startsWith(
            "Received: from helo.example.org (client.example.org [192.0.2.10])\r\n"
                + "\tby mx.example.net (Gannet) with ESMTP id "
                + QID
                + ";\r\n\t"
                + DATE
                + "\r\n"),
        t);
  }

  @Test
  void receivedHeaderMarksIpv6AndSmtputf8AndNeutralisesControlCharacters() {
    ClientInfo v6 = new ClientInfo("2001:db8::1", "unknown", "evil\r\nX-Injected: 1", "ESMTPS");
    CleanupInput in =
        new CleanupInput(
            QID,
            ARRIVAL,
            v6,
            "s@example.org",
            null,
            DsnRet.DEFAULT,
            BodyType.EIGHT_BIT_MIME,
            true,
            List.of(Recipient.of("r@example.com")),
            "S: x\r\n\r\n".getBytes(UTF_8),
            false);
    String t = text(accept(in));
    assertTrue(
        t.startsWith(
            "Received: from evil??X-Injected: 1 (unknown [IPv6:2001:db8::1])\r\n"
                + "\tby mx.example.net (Gannet) with UTF8SMTPS id"),
        t);
  }

  @Test
  void localSubmissionGetsMissingMessageIdDateAndFromAfterItsHeaders() {
    CleanupResult.Accept a =
        accept(input("Subject: hi\r\n\r\nbody\r\n", true, "joe", "x@example.com"));
    assertEquals(
        "Subject: hi\r\n"
            + "Message-ID: <"
            + QID
            + "@mx.example.net>\r\n"
            + "Date: "
            + DATE
            + "\r\n"
            + "From: joe@example.net\r\n"
            + "\r\nbody\r\n",
        afterReceived(a));
    assertTrue(
        text(a)
            .startsWith(
                "Received: by mx.example.net (Gannet)\r\n\tid "
                    + QID
                    + "\r\n\tfor <x@example.com>; "
                    + DATE
                    + "\r\n"),
        text(a));
    assertEquals("joe@example.net", a.record().sender());
    assertTrue(
        logged.contains(QID + ": message-id=<" + QID + "@mx.example.net>"), logged::toString);
  }

  @Test
  void presentHeadersAreNotAddedAgainAndTheirMessageIdIsLogged() {
    String msg =
        "from: a@example.org\r\nDATE: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
            + "Message-Id: <abc@example.org>\r\n\r\nbody\r\n";
    CleanupResult.Accept a = accept(input(msg, true, "joe", "x@example.com"));
    assertEquals(msg, afterReceived(a));
    assertTrue(logged.contains(QID + ": message-id=<abc@example.org>"), logged::toString);
  }

  @Test
  void remoteMailGetsNoHeadersAddedByDefault() {
    CleanupResult.Accept a = accept(remote("Subject: hi\r\n\r\nbody\r\n", "x@example.com"));
    assertEquals("Subject: hi\r\n\r\nbody\r\n", afterReceived(a));
    assertTrue(logged.contains(QID + ": message-id=<>"), logged::toString);
  }

  @Test
  void alwaysAddMissingHeadersAddsThemForRemoteMail() {
    mainCf.put("always_add_missing_headers", "yes");
    String t = afterReceived(accept(remote("Subject: hi\r\n\r\nbody\r\n", "x@example.com")));
    assertTrue(
        t.contains(
            "Message-ID: <"
                + QID
                + "@mx.example.net>\r\nDate: "
                + DATE
                + "\r\nFrom: sender@example.org\r\n\r\nbody"),
        t);
  }

  // ---- Message structure ---------------------------------------------------------------------

  @Test
  void messageWithoutBodyKeepsItsHeaders() {
    assertEquals(
        "Subject: only\r\n", afterReceived(accept(remote("Subject: only\r\n", "x@e.com"))));
  }

  @Test
  void messageWithoutHeadersKeepsItsEmptyLineAndBody() {
    assertEquals(
        "\r\nbody only\r\n", afterReceived(accept(remote("\r\nbody only\r\n", "x@e.com"))));
  }

  @Test
  void bodyTextWithoutHeadersGetsASeparatorAfterTheAddedHeaders() {
    assertEquals(
        "\r\nnot a header line\r\nmore\r\n",
        afterReceived(accept(remote("not a header line\r\nmore\r\n", "x@e.com"))));
  }

  @Test
  void emptyContentBecomesJustTheReceivedHeader() {
    assertEquals("", afterReceived(accept(remote("", "x@e.com"))));
  }

  @Test
  void lastHeaderWithoutLineEndIsTerminatedBeforeAddedHeaders() {
    String t = afterReceived(accept(input("Subject: x", true, "joe", "x@e.com")));
    assertTrue(t.startsWith("Subject: x\r\nMessage-ID: "), t);
  }

  @Test
  void bareLineFeedsDoNotBreakParsing() {
    CleanupResult.Accept a = accept(remote("Subject: a\n b\nX: y\n\nbody\n", "x@e.com"));
    assertEquals("Subject: a\n b\nX: y\n\nbody\n", afterReceived(a));
  }

  @Test
  void bodyIsCarriedByteForByte() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      body.append("line ").append(i).append(" \u00e9\u4e2d\r\n");
    }
    String msg = "Subject: big\r\n\r\n" + body;
    assertEquals(msg, afterReceived(accept(remote(msg, "x@e.com"))));
  }

  // ---- header_checks and body_checks ---------------------------------------------------------

  private void headerChecks(String text) throws IOException {
    table("header_checks", text);
    mainCf.put("header_checks", "regexp:header_checks");
  }

  private void bodyChecks(String text) throws IOException {
    table("body_checks", text);
    mainCf.put("body_checks", "regexp:body_checks");
  }

  @Test
  void headerRejectWithDefaultText() throws IOException {
    headerChecks("/^Subject:.*viagra/ REJECT\n");
    CleanupResult r = cleanup().process(remote("Subject: cheap VIAGRA\r\n\r\nx\r\n", "r@e.com"));
    assertEquals(new CleanupResult.Reject(550, "5.7.1", "message content rejected"), r);
    assertEquals(
        QID
            + ": reject: header Subject: cheap VIAGRA from client.example.org[192.0.2.10];"
            + " from=<sender@example.org> to=<r@e.com> proto=ESMTP helo=<helo.example.org>:"
            + " 5.7.1 message content rejected",
        logged.get(0));
  }

  @Test
  void headerRejectWithOwnTextAndStatus() throws IOException {
    headerChecks("/^X-Spam: yes/ REJECT 5.7.0 spam is not welcome\n/^X-Later/ DEFER busy\n");
    assertEquals(
        new CleanupResult.Reject(550, "5.7.0", "spam is not welcome"),
        cleanup().process(remote("X-Spam: yes\r\n\r\n", "r@e.com")));
    assertEquals(
        new CleanupResult.Reject(450, "4.7.1", "busy"),
        cleanup().process(remote("X-Later: 1\r\n\r\n", "r@e.com")));
  }

  @Test
  void headerChecksSeeFoldedHeadersUnfolded() throws IOException {
    headerChecks("/^Subject: first second$/ REJECT folded\n");
    assertEquals(
        new CleanupResult.Reject(550, "5.7.1", "folded"),
        cleanup().process(remote("Subject: first\r\n second\r\n\r\n", "r@e.com")));
  }

  @Test
  void headerDiscard() throws IOException {
    headerChecks("/^X-Drop:/ DISCARD dropped by policy\n");
    assertEquals(
        new CleanupResult.Discard("dropped by policy"),
        cleanup().process(remote("X-Drop: 1\r\n\r\n", "r@e.com")));
    assertTrue(
        logged.get(0).startsWith(QID + ": discard: header X-Drop: 1 from "), logged::toString);
  }

  @Test
  void headerHoldAcceptsAndMarksTheMessage() throws IOException {
    headerChecks("/^Subject: invoice/ HOLD check invoices\n");
    CleanupResult.Accept a = accept(remote("Subject: invoice 12\r\n\r\nx\r\n", "r@e.com"));
    assertTrue(a.hold());
    assertEquals("check invoices", a.holdReason());
    assertTrue(logged.get(0).startsWith(QID + ": hold: header Subject: invoice 12 from "));
    assertTrue(logged.get(0).endsWith(": check invoices"), logged::toString);
  }

  @Test
  void headerWarnOnlyLogs() throws IOException {
    headerChecks("/^Subject:/ WARN subject seen\n");
    String msg = "Subject: x\r\n\r\nb\r\n";
    CleanupResult.Accept a = accept(remote(msg, "r@e.com"));
    assertFalse(a.hold());
    assertEquals(msg, afterReceived(a));
    assertTrue(logged.get(0).startsWith(QID + ": warning: header Subject: x from "));
    assertTrue(logged.get(0).endsWith(": subject seen"));
  }

  @Test
  void headerIgnoreDropsTheWholeFoldedHeader() throws IOException {
    headerChecks("/^X-Internal:/ IGNORE\n");
    assertEquals(
        "Subject: a\r\nTo: b\r\n\r\nbody\r\n",
        afterReceived(
            accept(
                remote(
                    "Subject: a\r\nX-Internal: secret\r\n\tmore secret\r\nTo: b\r\n\r\nbody\r\n",
                    "r@e.com"))));
  }

  @Test
  void headerOkAndDunnoChangeNothing() throws IOException {
    headerChecks("/^Subject:/ OK\n/^To:/ DUNNO\n/^X-Weird:/ PREPEND X-Not: supported\n");
    String msg = "Subject: a\r\nTo: b\r\nX-Weird: 1\r\n\r\nbody\r\n";
    assertEquals(msg, afterReceived(accept(remote(msg, "r@e.com"))));
    assertTrue(
        logged.stream().anyMatch(l -> l.contains("header_checks: unknown action")),
        logged::toString);
  }

  @Test
  void firstTerminalActionWins() throws IOException {
    headerChecks("/^X-A:/ DISCARD\n/^X-B:/ REJECT\n");
    assertInstanceOf(
        CleanupResult.Discard.class,
        cleanup().process(remote("X-A: 1\r\nX-B: 1\r\n\r\n", "r@e.com")));
  }

  @Test
  void bodyRejectMatchesABodyLine() throws IOException {
    bodyChecks("/^click here now$/ REJECT no phishing\n");
    assertEquals(
        new CleanupResult.Reject(550, "5.7.1", "no phishing"),
        cleanup()
            .process(remote("Subject: x\r\n\r\nhello\r\nclick here now\r\nbye\r\n", "r@e.com")));
    assertTrue(logged.get(logged.size() - 1).startsWith(QID + ": reject: body click here now"));
  }

  @Test
  void bodyChecksDoNotSeeHeaders() throws IOException {
    bodyChecks("/^Subject:/ REJECT\n");
    accept(remote("Subject: x\r\n\r\nbody\r\n", "r@e.com"));
  }

  @Test
  void bodyIgnoreDeletesTheLine() throws IOException {
    bodyChecks("/^X-tracking-pixel/ IGNORE\n");
    assertEquals(
        "Subject: x\r\n\r\na\r\nb\r\n",
        afterReceived(
            accept(
                remote(
                    "Subject: x\r\n\r\na\r\nX-tracking-pixel 1\r\nb\r\nX-tracking-pixel 2\r\n",
                    "r@e.com"))));
  }

  @Test
  void bodyChecksStopAtBodyChecksSizeLimit() throws IOException {
    bodyChecks("/^bad$/ REJECT\n");
    mainCf.put("body_checks_size_limit", "100");
    String filler = "x".repeat(200) + "\r\n";
    accept(remote("Subject: x\r\n\r\n" + filler + "bad\r\n", "r@e.com"));
    assertInstanceOf(
        CleanupResult.Reject.class,
        cleanup().process(remote("Subject: x\r\n\r\nbad\r\n" + filler, "r@e.com")));
  }

  // ---- hopcount_limit -------------------------------------------------------------------------

  private static String received(int n) {
    return "Received: from a by b;\r\n\tMon, 2 Mar 2026 10:00:00 +0000\r\n".repeat(n);
  }

  @Test
  void hopcountCountsOurOwnReceivedHeader() {
    accept(remote(received(49) + "Subject: x\r\n\r\n", "r@e.com"));
    assertEquals(
        new CleanupResult.Reject(554, "5.4.6", "too many hops"),
        cleanup().process(remote(received(50) + "Subject: x\r\n\r\n", "r@e.com")));
  }

  @Test
  void hopcountLimitIsConfigurable() {
    mainCf.put("hopcount_limit", "3");
    accept(remote(received(2) + "\r\n", "r@e.com"));
    assertInstanceOf(
        CleanupResult.Reject.class, cleanup().process(remote(received(3) + "\r\n", "r@e.com")));
  }

  // ---- canonical maps -------------------------------------------------------------------------

  @Test
  void senderCanonicalAppliesBeforeCanonical() throws IOException {
    table("sender_canonical", "joe@example.net joseph@example.net\n");
    table("canonical", "joseph@example.net j.smith@example.com\njoe@example.net wrong\n");
    mainCf.put("sender_canonical_maps", "texthash:sender_canonical");
    mainCf.put("canonical_maps", "texthash:canonical");
    CleanupResult.Accept a = accept(input("S: x\r\n\r\n", false, "joe", "joe@example.net"));
    assertEquals("j.smith@example.com", a.record().sender());
    assertEquals(List.of("wrong@example.net"), addresses(a));
  }

  @Test
  void recipientCanonicalRewritesRecipientsOnlyAndKeepsOrcpt() throws IOException {
    table("rc", "@old.example @new.example\n");
    mainCf.put("recipient_canonical_maps", "texthash:rc");
    CleanupResult.Accept a =
        accept(input("S: x\r\n\r\n", false, "s@old.example", "Ann+x@OLD.example"));
    assertEquals("s@old.example", a.record().sender());
    assertEquals(
        List.of(new Recipient("Ann+x@new.example", "rfc822;Ann+2Bx@OLD.example", 0)),
        a.record().recipients());
  }

  @Test
  void nullSenderIsNeverMapped() throws IOException {
    table("c", "@example.org x@example.org\n");
    mainCf.put("canonical_maps", "texthash:c");
    assertEquals("", accept(input("S: x\r\n\r\n", false, "", "r@example.org")).record().sender());
  }

  @Test
  void canonicalRegexpMapRewritesWithGroups() throws IOException {
    table("c.re", "/^(.*)@(.*)\\.internal$/ $1@$2.example\n");
    mainCf.put("canonical_maps", "regexp:c.re");
    assertEquals(
        List.of("u@host.example"), addresses(accept(remote("S: x\r\n\r\n", "u@host.internal"))));
  }

  // ---- virtual_alias_maps ---------------------------------------------------------------------

  private void aliases(String text) throws IOException {
    table("virtual", text);
    mainCf.put("virtual_alias_maps", "texthash:virtual");
  }

  @Test
  void aliasExpandsToManyRecursivelyWithDuplicatesRemoved() throws IOException {
    aliases(
        "sales@example.com ann@example.com, team@example.com\n"
            + "team@example.com bob@example.com carl@example.com ann@example.com\n");
    CleanupResult.Accept a = accept(remote("S: x\r\n\r\n", "sales@example.com", "bob@example.com"));
    assertEquals(List.of("ann@example.com", "bob@example.com", "carl@example.com"), addresses(a));
    assertEquals("rfc822;sales@example.com", a.record().recipients().get(0).orcpt());
  }

  @Test
  void aliasThatIncludesItselfIsKept() throws IOException {
    aliases("joe@example.com joe@example.com, archive@example.com\n");
    assertEquals(
        List.of("joe@example.com", "archive@example.com"),
        addresses(accept(remote("S: x\r\n\r\n", "joe@example.com"))));
  }

  @Test
  void clientOrcptAndNotifyArePreserved() throws IOException {
    aliases("a@example.com b@example.com\n");
    CleanupInput in =
        new CleanupInput(
            QID,
            ARRIVAL,
            CLIENT,
            "s@example.org",
            "env1",
            DsnRet.HDRS,
            BodyType.UNSPECIFIED,
            false,
            List.of(
                new Recipient(
                    "a@example.com", "rfc822;orig@example.com", Recipient.NOTIFY_SUCCESS)),
            "S: x\r\n\r\n".getBytes(UTF_8),
            false);
    CleanupResult.Accept a = accept(in);
    assertEquals(
        List.of(
            new Recipient("b@example.com", "rfc822;orig@example.com", Recipient.NOTIFY_SUCCESS)),
        a.record().recipients());
    assertEquals("env1", a.record().envid());
    assertEquals(DsnRet.HDRS, a.record().ret());
  }

  @Test
  void unchangedRecipientGetsNoOrcpt() {
    assertNull(
        accept(remote("S: x\r\n\r\n", "r@example.com")).record().recipients().get(0).orcpt());
  }

  @Test
  void catchAllAndLocalUserKeys() throws IOException {
    aliases("@example.com catchall@example.org\npostmaster admin@example.org\n");
    assertEquals(
        List.of("catchall@example.org", "admin@example.org"),
        addresses(accept(remote("S: x\r\n\r\n", "any@example.com", "postmaster@example.net"))));
  }

  @Test
  void aliasLoopDefersTheMessage() throws IOException {
    aliases("a@example.com b@example.com\nb@example.com a@example.com\n");
    assertEquals(
        new CleanupResult.Reject(451, "4.3.0", "Error: alias expansion error"),
        cleanup().process(remote("S: x\r\n\r\n", "a@example.com")));
    assertTrue(
        logged.get(0).contains("unreasonable virtual_alias_maps map nesting for a@example.com"),
        logged::toString);
  }

  @Test
  void aliasRecursionLimitDefers() throws IOException {
    aliases(
        "a@example.com b@example.com\nb@example.com c@example.com\nc@example.com d@example.com\n");
    mainCf.put("virtual_alias_recursion_limit", "3");
    assertEquals(
        List.of("d@example.com"), addresses(accept(remote("S: x\r\n\r\n", "a@example.com"))));
    mainCf.put("virtual_alias_recursion_limit", "2");
    assertEquals(
        451,
        ((CleanupResult.Reject) cleanup().process(remote("S: x\r\n\r\n", "a@example.com"))).code());
  }

  @Test
  void aliasExpansionLimitDefers() throws IOException {
    aliases("list@example.com a@x.example b@x.example c@x.example\n");
    mainCf.put("virtual_alias_expansion_limit", "3");
    assertEquals(3, addresses(accept(remote("S: x\r\n\r\n", "list@example.com"))).size());
    mainCf.put("virtual_alias_expansion_limit", "2");
    CleanupResult r = cleanup().process(remote("S: x\r\n\r\n", "list@example.com"));
    assertEquals(new CleanupResult.Reject(451, "4.3.0", "Error: alias expansion error"), r);
    assertTrue(
        logged.get(logged.size() - 1).contains("map expansion size for list@example.com"),
        logged::toString);
  }

  // ---- Record and robustness -------------------------------------------------------------------

  @Test
  void acceptedRecordCarriesTheEnvelope() {
    CleanupResult.Accept a = accept(remote("S: x\r\n\r\n", "r@example.com"));
    assertEquals(QID, a.record().queueId());
    assertEquals(ARRIVAL, a.record().time());
    assertEquals(CLIENT, a.record().client());
    assertEquals("sender@example.org", a.record().sender());
    assertFalse(a.hold());
  }

  @Test
  void noRecipientsIsRefusedNotThrown() {
    assertEquals(
        new CleanupResult.Reject(554, "5.5.1", "Error: no valid recipients"),
        cleanup().process(remote("S: x\r\n\r\n")));
  }

  @Test
  void xtextEncodesPlusEqualsAndNonAscii() {
    assertEquals("a+2Bb+3Dc+C3+A9@x", CleanupService.xtext("a+b=c\u00e9@x"));
  }
}
