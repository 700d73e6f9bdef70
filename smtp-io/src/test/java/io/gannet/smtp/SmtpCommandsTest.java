package io.gannet.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SmtpCommandsTest {

  @Test
  void mailFromWithEveryParameter() {
    assertEquals("MAIL FROM:<a@b.example> SIZE=1234 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=a+2Bb",
        SmtpCommands.mailFrom("a@b.example", 1234, "8BITMIME", true, "HDRS", "a+b"));
    assertEquals("MAIL FROM:<>", SmtpCommands.mailFrom("", -1, null, false, null, null));
  }

  @Test
  void rcptToWithDsn() {
    assertEquals("RCPT TO:<u@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;u+2Bx@example.com",
        SmtpCommands.rcptTo("u@example.com", "SUCCESS,DELAY", "rfc822;u+x@example.com"));
  }

  @Test
  void utf8OrcptUsesUtf8AddrXtext() {
    assertEquals("utf-8;j\\x{F6}rg\\x{2B}x@example.com",
        SmtpCommands.orcpt("rfc822;jörg+x@example.com"));
    assertEquals("utf-8;a@b", SmtpCommands.orcpt("utf-8;a@b"));
  }

  @Test
  void controlCharactersAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> SmtpCommands.rcptTo("a@b\r\nDATA", null, null));
    assertThrows(IllegalArgumentException.class,
        () -> SmtpCommands.mailFrom("a\u0000@b", -1, null, false, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> SmtpCommands.mailFrom("a@b", -1, null, false, null, "é"));
    assertThrows(IllegalArgumentException.class, () -> SmtpCommands.ehlo("x\ny"));
  }
}
