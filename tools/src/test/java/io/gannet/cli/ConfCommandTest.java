package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.MailParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void writeConfiguration() throws IOException {
    write("main.cf", "# test", "myhostname = mx.example", "mydomain = example", "relayhost =");
    write(
        "master.cf",
        "127.0.0.1:2525 inet n - n - - smtpd",
        "  -o { smtpd_banner = $myhostname ready }",
        "smtp unix - - n - - smtp",
        "cleanup unix n - n - 0 cleanup");
  }

  private void write(String name, String... lines) throws IOException {
    Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private Run conf(String... args) {
    List<String> all = new ArrayList<>(List.of("-c", dir.toString(), "conf"));
    all.addAll(Arrays.asList(args));
    return run(all.toArray(new String[0]));
  }

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String mainCf() {
    return dir.resolve("main.cf").toString();
  }

  @Test
  void setOnlyPrintsMainCfSettingsSortedByName() {
    assertEquals(
        new Run(0, "mydomain = example\nmyhostname = mx.example\nrelayhost =\n", ""), conf("-n"));
  }

  @Test
  void noOptionsPrintsEveryParameterSortedWithSetValuesOverDefaults() {
    Run r = conf();
    assertEquals(0, r.exitCode());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(MailParams.all().size() + 5, lines.size()); // + smtp's per-transport forms
    assertEquals(lines.stream().sorted().toList(), lines);
    assertEquals("2bounce_notice_recipient = postmaster", lines.get(0));
    assertTrue(lines.contains("myhostname = mx.example"));
    assertTrue(lines.contains("myorigin = $myhostname"));
    assertTrue(lines.contains("relayhost ="));
    assertTrue(
        lines.contains(
            "smtp_destination_concurrency_limit = $default_destination_concurrency_limit"));
  }

  @Test
  void namedParametersPrintInTheOrderGiven() {
    assertEquals(
        new Run(0, "myorigin = $myhostname\nmyhostname = mx.example\n", ""),
        conf("myorigin", "myhostname"));
  }

  @Test
  void expandFlagExpandsReferences() {
    assertEquals(
        new Run(0, "myorigin = mx.example\nsmtp_destination_concurrency_limit = 20\n", ""),
        conf("-x", "myorigin", "smtp_destination_concurrency_limit"));
  }

  @Test
  void valueOnlyFlagOmitsTheName() {
    assertEquals(new Run(0, "mx.example\n\n", ""), conf("-h", "myhostname", "relayhost"));
  }

  @Test
  void defaultsFlagIgnoresMainCf() {
    assertEquals(
        new Run(0, "myhostname = localhost.localdomain\nmyorigin = localhost.localdomain\n", ""),
        conf("-d", "-x", "myhostname", "myorigin"));
    assertEquals(MailParams.all().size() + 5, conf("-d").out().lines().count());
  }

  @Test
  void setOnlyWithNamesPrintsOnlyThoseSet() {
    assertEquals(new Run(0, "mydomain = example\n", ""), conf("-n", "myorigin", "mydomain"));
  }

  @Test
  void unknownNameWarnsPrintsTheRestAndExitsOne() {
    assertEquals(
        new Run(
            1, "myhostname = mx.example\n", "gannet: conf: warning: unknown parameter: nosuch\n"),
        conf("nosuch", "myhostname"));
  }

  @Test
  void perTransportParameterOfANonTransportIsUnknown() {
    assertEquals(1, conf("cleanup_destination_concurrency_limit").exitCode());
  }

  @Test
  void userDefinedParameterIsListedAndKnown() throws IOException {
    write("main.cf", "my_net = 10.0.0.0/8", "mynetworks = 127.0.0.0/8 $my_net");
    assertEquals(new Run(0, "my_net = 10.0.0.0/8\n", ""), conf("my_net"));
    assertTrue(conf().out().contains("\nmy_net = 10.0.0.0/8\n"));
    assertEquals(new Run(0, "127.0.0.0/8 10.0.0.0/8\n", ""), conf("-x", "-h", "mynetworks"));
  }

  @Test
  void warningsOfMainCfGoToStandardError() throws IOException {
    write("main.cf", "myhostname = a", "foo = bar");
    assertEquals(
        new Run(
            0,
            "foo = bar\nmyhostname = a\n",
            "gannet: warning: " + mainCf() + ", line 2: unused parameter: foo=bar\n"),
        conf("-n"));
  }

  @Test
  void warningsOfMasterCfGoToStandardError() throws IOException {
    write("master.cf", "smtp inet n - n - - smtpd -o nosuch=1");
    assertEquals(
        new Run(
            0,
            "myhostname = mx.example\n",
            "gannet: warning: "
                + dir.resolve("master.cf")
                + ", line 1: unused parameter: nosuch=1\n"),
        conf("myhostname"));
  }

  @Test
  void missingConfigDirectoryIsOneLineAndExitTwo() {
    Path nowhere = dir.resolve("nowhere");
    assertEquals(
        new Run(
            2,
            "",
            "gannet: fatal: bad configuration directory "
                + nowhere
                + ": No such file or directory\n"),
        run("-c", nowhere.toString(), "conf"));
  }

  @Test
  void missingMainCfIsOneLineAndExitTwo() throws IOException {
    Files.delete(dir.resolve("main.cf"));
    assertEquals(
        new Run(2, "", "gannet: fatal: open " + mainCf() + ": No such file or directory\n"),
        conf("-n"));
  }

  @Test
  void malformedMainCfIsOneLineAndExitTwo() throws IOException {
    write("main.cf", "myhostname = a", "bla bla");
    assertEquals(
        new Run(
            2,
            "",
            "gannet: fatal: "
                + mainCf()
                + ", line 2: missing '=' after attribute name: \"bla bla\"\n"),
        conf());
  }

  @Test
  void badValueInMainCfIsOneLineAndExitTwo() throws IOException {
    write("main.cf", "smtpd_timeout = soon");
    assertEquals(
        new Run(
            2,
            "",
            "gannet: fatal: "
                + mainCf()
                + ", line 1: bad time unit for parameter smtpd_timeout: 'soon' (use s, m, h, d or"
                + " w)\n"),
        conf());
  }

  @Test
  void badOverrideValueInMasterCfIsOneLineAndExitTwo() throws IOException {
    write("master.cf", "smtp inet n - n - - smtpd -o smtpd_recipient_limit=0");
    assertEquals(
        new Run(
            2,
            "",
            "gannet: fatal: "
                + dir.resolve("master.cf")
                + ", line 1: invalid value for parameter smtpd_recipient_limit: 0 < 1\n"),
        conf());
  }

  @Test
  void defaultsAndSetOnlyTogetherAreAUsageError() {
    assertEquals(
        new Run(2, "", "gannet: conf: -d and -n cannot be used together\n"), conf("-d", "-n"));
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run r = conf("-q");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("Unknown option: '-q'"), r.err());
  }

  @Test
  void masterFlagPrintsOneLinePerServiceAsPostconf() {
    assertEquals(
        new Run(
            0,
            "127.0.0.1:2525 inet  n       -       n       -       -       smtpd -o { smtpd_banner"
                + " = $myhostname ready }\n"
                + "smtp       unix  -       -       n       -       -       smtp\n"
                + "cleanup    unix  n       -       n       -       0       cleanup\n",
            ""),
        conf("-M"));
  }

  @Test
  void masterFlagWithNamesSelectsServices() {
    assertEquals(
        new Run(
            1,
            "smtp       unix  -       -       n       -       -       smtp\n",
            "gannet: conf: warning: unknown service: nosuch\n"),
        conf("-M", "smtp/unix", "nosuch"));
  }

  @Test
  void shippedConfigurationPrintsWithoutWarnings() {
    Run r = run("-c", Path.of("..", "conf").toString(), "conf", "-n");
    assertEquals(
        new Run(
            0,
            "myhostname = localhost\nmynetworks = 127.0.0.0/8 [::1]/128\nqueue_directory = var\n",
            ""),
        r);
  }

  @Test
  void configOptionAppliesPostInitAndPrintsItsWarnings() throws IOException {
    write("main.cf", "minimal_backoff_time = 2h");
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.parseArgs("-c", dir.toString());
    ConfigOption.Loaded loaded = ConfigOption.load(cl.<Main>getCommand());
    assertEquals(7200L, loaded.config().get(MailParams.MAXIMAL_BACKOFF_TIME));
    assertEquals("4000s", loaded.main().config().raw("maximal_backoff_time"));
    assertEquals(
        "gannet: warning: maximal_backoff_time is smaller than minimal_backoff_time - adjusting"
            + " maximal_backoff_time\n",
        err.toString());
  }

  @Test
  void configOptionTurnsAConfigErrorIntoExitTwo() throws IOException {
    write("main.cf", "hopcount_limit = x");
    CommandLine cl = Main.commandLine();
    cl.parseArgs("-c", dir.toString());
    UserException e =
        assertThrows(UserException.class, () -> ConfigOption.load(cl.<Main>getCommand()));
    assertEquals(2, e.exitCode());
    assertEquals(
        "fatal: " + mainCf() + ", line 1: bad numerical value for parameter hopcount_limit: 'x'",
        e.getMessage());
  }
}
