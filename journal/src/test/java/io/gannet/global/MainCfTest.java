package io.gannet.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainCfTest {

  @TempDir Path dir;

  private MainCf load(String... lines) throws Exception {
    write("main.cf", lines);
    return MainCf.load(dir);
  }

  private void write(String name, String... lines) throws IOException {
    Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private String error(String... lines) throws IOException {
    write("main.cf", lines);
    return assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage();
  }

  private String file() {
    return dir.resolve("main.cf").toString();
  }

  @Test
  void settingsAreKeptRawInFileOrder() throws Exception {
    MainCf m = load("myhostname = mx.example", "myorigin = $myhostname");
    assertEquals(
        Map.of("myhostname", "mx.example", "myorigin", "$myhostname"), m.config().explicitlySet());
    assertEquals(
        List.of("myhostname", "myorigin"), List.copyOf(m.config().explicitlySet().keySet()));
    assertEquals("mx.example", m.config().expanded("myorigin"));
    assertEquals(List.of(), m.warnings());
  }

  @Test
  void continuationLinesJoinWithOneSpace() throws Exception {
    MainCf m =
        load(
            "smtpd_relay_restrictions =",
            "    permit_mynetworks,",
            "\treject_unauth_destination   ",
            "mydomain = example.com");
    assertEquals(
        "permit_mynetworks, reject_unauth_destination", m.config().raw("smtpd_relay_restrictions"));
    assertEquals("example.com", m.config().raw("mydomain"));
  }

  @Test
  void commentAndBlankLinesInsideAContinuationAreSkipped() throws Exception {
    MainCf m = load("mynetworks = 127.0.0.0/8", "", "  # loopback only", "   [::1]/128");
    assertEquals("127.0.0.0/8 [::1]/128", m.config().raw("mynetworks"));
  }

  @Test
  void whiteSpaceAroundEqualsAndAtTheEndIsTrimmed() throws Exception {
    MainCf m = load("  # comment after white space", "relayhost\t=   [mx.example]:587  \t");
    assertEquals("[mx.example]:587", m.config().raw("relayhost"));
  }

  @Test
  void equalsSignsInTheValueAreKept() throws Exception {
    MainCf m = load("smtpd_banner=a=b = c");
    assertEquals("a=b = c", m.config().raw("smtpd_banner"));
  }

  @Test
  void emptyValueIsASetting() throws Exception {
    MainCf m = load("mydestination =");
    assertEquals("", m.config().raw("mydestination"));
    assertEquals(List.of(), m.config().get(MailParams.MYDESTINATION));
  }

  @Test
  void laterSettingOfTheSameNameWins() throws Exception {
    MainCf m = load("hopcount_limit = 10", "hopcount_limit = 20");
    assertEquals(20, m.config().get(MailParams.HOPCOUNT_LIMIT));
  }

  @Test
  void crlfLineEndingsAreAccepted() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "myhostname = a.example\r\n  .b\r\n");
    assertEquals("a.example .b", MainCf.load(dir).config().raw("myhostname"));
  }

  @Test
  void unknownParameterIsAWarningNamingFileLineAndSetting() throws Exception {
    MainCf m = load("# x", "myhostname = a", "foo = bar baz");
    assertEquals(List.of(file() + ", line 3: unused parameter: foo=bar baz"), m.warnings());
    assertFalse(m.isKnown("foo"));
  }

  @Test
  void parameterReferencedByAnotherValueIsUserDefinedNotUnused() throws Exception {
    MainCf m =
        load("my_restrictions = permit_mynetworks", "smtpd_relay_restrictions = $my_restrictions");
    assertEquals(List.of(), m.warnings());
    assertTrue(m.isKnown("my_restrictions"));
    assertEquals(List.of("permit_mynetworks"), m.config().get(MailParams.SMTPD_RELAY_RESTRICTIONS));
  }

  @Test
  void parameterReferencedFromAMasterCfOverrideIsUserDefined() throws Exception {
    write(
        "master.cf",
        "submission inet n - n - - smtpd -o smtpd_relay_restrictions=$mua_relay_restrictions");
    MainCf m = load("mua_relay_restrictions = permit_mynetworks");
    assertEquals(List.of(), m.warnings());
    assertEquals(java.util.Set.of("mua_relay_restrictions"), m.userDefined());
  }

  @Test
  void perTransportParameterOfAMasterCfTransportIsKnownAndValidated() throws Exception {
    write("master.cf", "smtp unix - - n - - smtp", "relay unix - - n - - smtp");
    MainCf m =
        load(
            "smtp_destination_concurrency_limit = 2",
            "relay_destination_rate_delay = 1s",
            "relay_initial_destination_concurrency = 1");
    assertEquals(List.of(), m.warnings());
    Config c = m.config();
    assertEquals(
        2, c.get(TransportParams.of("smtp", MailParams.DEFAULT_DESTINATION_CONCURRENCY_LIMIT)));
    assertEquals(
        20, c.get(TransportParams.of("relay", MailParams.DEFAULT_DESTINATION_CONCURRENCY_LIMIT)));
    assertEquals(1L, c.get(TransportParams.of("relay", MailParams.DEFAULT_DESTINATION_RATE_DELAY)));
    assertEquals(
        file()
            + ", line 1: bad numerical value for parameter smtp_destination_recipient_limit: 'x'",
        error("smtp_destination_recipient_limit = x"));
  }

  @Test
  void perTransportParameterOfAHyphenatedTransportIsKnown() throws Exception {
    write("master.cf", "smtp-amavis unix - - n - 2 smtp");
    MainCf m = load("smtp-amavis_destination_recipient_limit = 1");
    assertEquals(List.of(), m.warnings());
    assertEquals(
        1,
        m.config()
            .get(
                TransportParams.of("smtp-amavis", MailParams.DEFAULT_DESTINATION_RECIPIENT_LIMIT)));
  }

  @Test
  void perTransportParameterOfANonTransportIsUnused() throws Exception {
    write("master.cf", "cleanup unix n - n - 0 cleanup");
    MainCf m =
        load("cleanup_destination_concurrency_limit = 2", "nosuch_destination_rate_delay = 1s");
    assertEquals(
        List.of(
            file() + ", line 1: unused parameter: cleanup_destination_concurrency_limit=2",
            file() + ", line 2: unused parameter: nosuch_destination_rate_delay=1s"),
        m.warnings());
  }

  @Test
  void missingEqualsIsAnErrorNamingFileAndLine() throws Exception {
    assertEquals(
        file() + ", line 3: missing '=' after attribute name: \"bla bla\"",
        error("myhostname = a", "", "bla bla"));
  }

  @Test
  void missingNameIsAnError() throws Exception {
    assertEquals(file() + ", line 1: missing attribute name: \"= value\"", error("= value"));
  }

  @Test
  void nameWithBadCharactersIsAnError() throws Exception {
    assertEquals(file() + ", line 1: bad parameter name: \"foo/bar\"", error("foo/bar = 1"));
    assertEquals(file() + ", line 1: bad parameter name: \"foo bar\"", error("foo bar = 1"));
  }

  @Test
  void continuationBeforeAnyParameterIsAnError() throws Exception {
    assertEquals(
        file() + ", line 2: logical line must not start with white space: \"myhostname = a\"",
        error("# comment", "  myhostname = a"));
  }

  @Test
  void errorOnAContinuedLineNamesTheLineItStartsOn() throws Exception {
    assertEquals(
        file() + ", line 2: bad numerical value for parameter message_size_limit: '10 20'",
        error("# size", "message_size_limit =", "  10", "  20"));
  }

  @Test
  void badNumberIsAnErrorNamingParameter() throws Exception {
    assertEquals(
        file() + ", line 1: bad numerical value for parameter message_size_limit: '10x'",
        error("message_size_limit = 10x"));
  }

  @Test
  void badBooleanIsAnError() throws Exception {
    assertEquals(
        file()
            + ", line 1: bad boolean value for parameter disable_vrfy_command: 'maybe' (use yes or"
            + " no)",
        error("disable_vrfy_command = maybe"));
  }

  @Test
  void valueOutOfBoundsIsAnError() throws Exception {
    assertEquals(
        file() + ", line 1: invalid value for parameter hopcount_limit: 0 < 1",
        error("hopcount_limit = 0"));
    assertEquals(
        file() + ", line 1: invalid value for parameter smtpd_timeout: 90000 > 86400",
        error("smtpd_timeout = 25h"));
  }

  @Test
  void badTimeUnitIsAnError() throws Exception {
    assertEquals(
        file()
            + ", line 1: bad time unit for parameter queue_run_delay: '5y' (use s, m, h, d or w)",
        error("queue_run_delay = 5y"));
  }

  @Test
  void timeTooLargeForALongIsAnErrorNotAnOverflow() throws Exception {
    assertEquals(
        file()
            + ", line 1: time value out of range for parameter maximal_queue_lifetime:"
            + " '99999999999999999w'",
        error("maximal_queue_lifetime = 99999999999999999w"));
  }

  @Test
  void badValueReachedThroughAReferenceIsReportedAtTheSettingThatUsesIt() throws Exception {
    assertEquals(
        file() + ", line 2: bad numerical value for parameter hopcount_limit: 'many'",
        error("my_limit = many", "hopcount_limit = $my_limit"));
  }

  @Test
  void recursiveReferenceIsAnErrorNamingTheParameter() throws Exception {
    assertEquals(
        file() + ", line 1: parameter myorigin: recursive reference to parameter mydomain",
        error("myorigin = $mydomain", "mydomain = $myorigin"));
  }

  @Test
  void recursionThroughADefaultIsFound() throws Exception {
    // myorigin defaults to $myhostname
    assertEquals(
        file() + ", line 1: parameter myhostname: recursive reference to parameter myorigin",
        error("myhostname = $myorigin"));
  }

  @Test
  void missingMainCfIsAnError() {
    String msg = assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage();
    assertEquals("open " + file() + ": No such file or directory", msg);
  }

  @Test
  void missingConfigDirectoryIsAnError() {
    Path nowhere = dir.resolve("nowhere");
    String msg = assertThrows(ConfigException.class, () -> MainCf.load(nowhere)).getMessage();
    assertEquals("bad configuration directory " + nowhere + ": No such file or directory", msg);
  }

  @Test
  void configDirectoryThatIsAFileIsAnError() throws Exception {
    write("main.cf", "myhostname = a");
    Path notDir = dir.resolve("main.cf");
    String msg = assertThrows(ConfigException.class, () -> MainCf.load(notDir)).getMessage();
    assertEquals("bad configuration directory " + notDir + ": Not a directory", msg);
  }

  @Test
  void fileThatIsNotUtf8IsAnError() throws Exception {
    Files.write(dir.resolve("main.cf"), new byte[] {'a', ' ', '=', ' ', (byte) 0xff, '\n'});
    String msg = assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage();
    assertEquals("read " + file() + ": not UTF-8 text", msg);
  }

  @Test
  void malformedMasterCfIsReportedWhenMainCfIsLoaded() throws Exception {
    write("master.cf", "smtp inet n - n - - ");
    write("main.cf", "myhostname = a");
    String msg = assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage();
    assertEquals(
        dir.resolve("master.cf") + ", line 1: missing command name field: \"smtp inet n - n - -\"",
        msg);
  }

  @Test
  void everyDefaultOfTheTableParses() {
    Config defaults = Config.defaults();
    for (Param<?> p : MailParams.all()) {
      assertEquals(null, MainCf.invalid(defaults, p), p.name());
    }
  }

  @Test
  void shippedMainCfAndMasterCfLoadWithoutWarnings() throws Exception {
    Path conf = Path.of("..", "conf");
    MasterCf master = MasterCf.load(conf);
    MainCf main = MainCf.load(conf, master);
    assertEquals(List.of(), master.warnings());
    assertEquals(List.of(), main.warnings());
    master.validateOverrides(main.config());
    assertEquals("var", main.config().get(MailParams.QUEUE_DIRECTORY));
    assertEquals("localhost", main.config().get(MailParams.MYHOSTNAME));
    MasterService smtpd = master.smtpdListeners().get(0);
    assertEquals(java.util.Optional.of("127.0.0.1"), smtpd.host());
    assertEquals(2525, smtpd.port());
  }
}
