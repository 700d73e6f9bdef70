package io.gannet.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;
import org.junit.jupiter.api.Test;

class EnvelopeParserTest {

  private static String reply(String mailArg) {
    return assertThrows(SmtpSyntaxException.class, () -> EnvelopeParser.parseMail(mailArg))
        .reply()
        .toString();
  }

  @Test
  void nullSenderAndPlainSender() throws Exception {
    assertEquals(
        new MailFrom("", -1, BodyType.UNSPECIFIED, DsnRet.DEFAULT, null, false),
        EnvelopeParser.parseMail("FROM:<>"));
    assertEquals("a@b.example", EnvelopeParser.parseMail("from: <a@b.example>").address());
    assertEquals("a@b.example", EnvelopeParser.parseMail("FROM:a@b.example").address());
  }

  @Test
  void sourceRouteIsDropped() throws Exception {
    assertEquals(
        "u@c.example",
        EnvelopeParser.parseRcpt("TO:<@a.example,@b.example:u@c.example>", false).address());
  }

  @Test
  void quotedLocalPartMayHoldSpacesAndBrackets() throws Exception {
    assertEquals(
        "\"a b>c\"@x.example",
        EnvelopeParser.parseMail("FROM:<\"a b>c\"@x.example> SIZE=5").address());
  }

  @Test
  void allMailParameters() throws Exception {
    MailFrom m =
        EnvelopeParser.parseMail(
            "FROM:<a@b.example> size=123 body=7bit ret=full envid=a+3Db smtputf8");
    assertEquals(new MailFrom("a@b.example", 123, BodyType.SEVEN_BIT, DsnRet.FULL, "a=b", true), m);
  }

  @Test
  void badMailParametersGetTheirOwnReplies() {
    assertEquals("501 5.5.4 Bad message size syntax", reply("FROM:<a@b.c> SIZE=12x"));
    assertEquals("501 5.5.4 Bad RET parameter syntax", reply("FROM:<a@b.c> RET=ALL"));
    assertEquals("501 5.5.4 Bad ENVID parameter syntax", reply("FROM:<a@b.c> ENVID=a+3"));
    assertEquals("501 5.5.4 Bad ENVID parameter syntax", reply("FROM:<a@b.c> ENVID=a=b"));
    assertEquals("501 5.5.4 Error: duplicate SIZE parameter", reply("FROM:<a@b.c> SIZE=1 SIZE=2"));
    assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>", reply("FROM:<a@b.c"));
    assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>", reply("FROM:<a@b.c>junk"));
    assertEquals("501 5.1.7 Bad sender address syntax", reply("FROM:<a@b..c>"));
    assertEquals("501 5.1.7 Bad sender address syntax", reply("FROM:<a\u0001@b.c>"));
    assertEquals("501 5.1.7 Bad sender address syntax", reply("FROM:<a@>"));
  }

  @Test
  void utf8AddressNeedsSmtputf8() throws Exception {
    assertEquals(
        "553 5.6.7 Must declare SMTPUTF8 to send unicode address",
        reply("FROM:<j\u00f6rg@b.example>"));
    assertEquals(
        "j\u00f6rg@b.example",
        EnvelopeParser.parseMail("FROM:<j\u00f6rg@b.example> SMTPUTF8").address());
  }

  @Test
  void notifyAndOrcpt() throws Exception {
    RcptTo r =
        EnvelopeParser.parseRcpt(
            "TO:<u@x.example> NOTIFY=failure,Delay ORCPT=rfc822;u+2Bv@x.example", false);
    assertEquals(Recipient.NOTIFY_FAILURE | Recipient.NOTIFY_DELAY, r.notifyFlags());
    assertEquals("rfc822;u+v@x.example", r.orcpt());
    RcptTo plain = EnvelopeParser.parseRcpt("TO:<postmaster>", false);
    assertEquals(0, plain.notifyFlags());
    assertNull(plain.orcpt());
    assertThrows(
        SmtpSyntaxException.class,
        () -> EnvelopeParser.parseRcpt("TO:<u@x> NOTIFY=NEVER,DELAY", false));
    assertThrows(
        SmtpSyntaxException.class,
        () -> EnvelopeParser.parseRcpt("TO:<u@x> NOTIFY=SOMETIMES", false));
    assertThrows(
        SmtpSyntaxException.class, () -> EnvelopeParser.parseRcpt("TO:<u@x> ORCPT=;u@x", false));
    assertThrows(SmtpSyntaxException.class, () -> EnvelopeParser.parseRcpt("TO:<>", false));
  }

  @Test
  void xtextRoundTrip() {
    assertEquals("a+b=c d", Xtext.decode(Xtext.encode("a+b=c d")));
    assertEquals("a+2Bb+3Dc+20d", Xtext.encode("a+b=c d"));
    assertNull(Xtext.decode("+2b")); // lower-case hex is not xtext
    assertNull(Xtext.decode("+0A")); // decodes to a control character
  }
}
