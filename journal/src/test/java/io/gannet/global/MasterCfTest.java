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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterCfTest {

  @TempDir Path dir;

  private MasterCf load(String... lines) throws Exception {
    write(lines);
    return MasterCf.load(dir);
  }

  private MasterService only(String... lines) throws Exception {
    List<MasterService> services = load(lines).services();
    assertEquals(1, services.size());
    return services.get(0);
  }

  private void write(String... lines) throws IOException {
    Files.writeString(
        dir.resolve("master.cf"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private String error(String... lines) throws IOException {
    write(lines);
    return assertThrows(ConfigException.class, () -> MasterCf.load(dir))
        .getMessage()
        .replace(dir.resolve("master.cf").toString(), "master.cf");
  }

  @Test
  void everyColumnIsParsed() throws Exception {
    MasterService s = only("# comment", "qmgr unix n y y 300? 1 qmgr -v");
    assertEquals(2, s.line());
    assertEquals("qmgr", s.name());
    assertEquals(MasterService.Type.UNIX, s.type());
    assertEquals(List.of("n", "y", "y", "300?", "1"), s.columns());
    assertFalse(s.privateService());
    assertTrue(s.unprivileged());
    assertTrue(s.chroot());
    assertEquals(300, s.wakeupTime());
    assertEquals(Optional.of(1), s.maxproc());
    assertEquals("qmgr", s.command());
    assertEquals(List.of("-v"), s.args());
    assertEquals(Map.of(), s.overrides());
    assertEquals(Optional.empty(), s.host());
    assertEquals(-1, s.port());
  }

  @Test
  void dashMeansTheDefaultOfEachColumn() throws Exception {
    MasterService s = only("smtp unix - - - - - smtp");
    assertTrue(s.privateService());
    assertTrue(s.unprivileged());
    assertFalse(s.chroot());
    assertEquals(0, s.wakeupTime());
    assertEquals(Optional.empty(), s.maxproc());
    assertEquals(100, s.maxproc(Config.defaults()));
    assertEquals(7, s.maxproc(Config.of(Map.of("default_process_limit", "7"))));
  }

  @Test
  void everyTransportTypeIsAccepted() throws Exception {
    MasterCf m =
        load(
            "25 inet n - n - - smtpd",
            "cleanup unix n - n - 0 cleanup",
            "pickup fifo n - n 60 1 pickup",
            "postlog unix-dgram n - n - 1 postlogd",
            "smtpd pass - - n - - smtpd");
    assertEquals(
        List.of(
            MasterService.Type.INET,
            MasterService.Type.UNIX,
            MasterService.Type.FIFO,
            MasterService.Type.UNIX_DGRAM,
            MasterService.Type.PASS),
        m.services().stream().map(MasterService::type).toList());
  }

  @Test
  void continuationLinesCarryArguments() throws Exception {
    MasterService s =
        only(
            "submission inet n - n - - smtpd",
            "  # a comment between does not end the service",
            "  -o smtpd_recipient_limit=10",
            "\t-o disable_vrfy_command=yes");
    assertEquals(
        Map.of("smtpd_recipient_limit", "10", "disable_vrfy_command", "yes"), s.overrides());
    assertEquals(
        List.of("-o", "smtpd_recipient_limit=10", "-o", "disable_vrfy_command=yes"), s.args());
    assertEquals(587, s.port());
  }

  @Test
  void overrideFormsAreParsed() throws Exception {
    MasterService s =
        only(
            "smtp inet n - n - - smtpd -v -ohopcount_limit=5",
            " -o { smtpd_banner = $myhostname ESMTP ready } -o mynetworks=",
            " -o {smtpd_relay_restrictions=permit_mynetworks,reject}");
    assertEquals(
        List.of("hopcount_limit", "smtpd_banner", "mynetworks", "smtpd_relay_restrictions"),
        List.copyOf(s.overrides().keySet()));
    assertEquals("5", s.overrides().get("hopcount_limit"));
    assertEquals("$myhostname ESMTP ready", s.overrides().get("smtpd_banner"));
    assertEquals("", s.overrides().get("mynetworks"));
    assertEquals("permit_mynetworks,reject", s.overrides().get("smtpd_relay_restrictions"));
    assertEquals(
        List.of(
            "-v",
            "-ohopcount_limit=5",
            "-o",
            "{ smtpd_banner = $myhostname ESMTP ready }",
            "-o",
            "mynetworks=",
            "-o",
            "{smtpd_relay_restrictions=permit_mynetworks,reject}"),
        s.args());
    Config c = s.config(Config.of(Map.of("myhostname", "mx.example")));
    assertEquals("mx.example ESMTP ready", c.get(MailParams.SMTPD_BANNER));
    assertEquals(5, c.get(MailParams.HOPCOUNT_LIMIT));
  }

  @Test
  void inetServiceNameForms() throws Exception {
    MasterCf m =
        load(
            "2525 inet n - n - - smtpd",
            "smtp inet n - n - - smtpd",
            "127.0.0.1:smtps inet n - n - - smtpd",
            "localhost:submission inet n - n - - smtpd",
            "[::1]:25 inet n - n - - smtpd",
            "[127.0.0.2]:26 inet n - n - - smtpd",
            "127.0.0.1:0 inet n - n - - smtpd");
    assertEquals(
        List.of(
            Optional.empty(),
            Optional.empty(),
            Optional.of("127.0.0.1"),
            Optional.of("localhost"),
            Optional.of("::1"),
            Optional.of("127.0.0.2"),
            Optional.of("127.0.0.1")),
        m.services().stream().map(MasterService::host).toList());
    assertEquals(
        List.of(2525, 25, 465, 587, 25, 26, 0),
        m.services().stream().map(MasterService::port).toList());
  }

  @Test
  void smtpdListenersAreTheInetServicesRunningSmtpd() throws Exception {
    MasterCf m =
        load(
            "127.0.0.1:2525 inet n - n - - smtpd",
            "smtp unix - - n - - smtp",
            "127.0.0.1:2526 inet n - n - - other",
            "smtpd unix n - n - - smtpd");
    assertEquals(
        List.of("127.0.0.1:2525"), m.smtpdListeners().stream().map(MasterService::name).toList());
  }

  @Test
  void transportsAreUnixServicesRunningADeliveryAgent() throws Exception {
    MasterCf m =
        load(
            "smtp inet n - n - - smtpd",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "retry unix - - n - - error",
            "cleanup unix n - n - 0 cleanup");
    assertEquals(Set.of("smtp", "relay", "retry"), m.transports());
  }

  @Test
  void unknownOverrideIsAWarningWithFileAndLine() throws Exception {
    MasterCf m = load("#", "smtp inet n - n - - smtpd", "  -o nosuch=1 -o hopcount_limit=3");
    assertEquals(
        List.of(dir.resolve("master.cf") + ", line 2: unused parameter: nosuch=1"), m.warnings());
  }

  @Test
  void overrideReferencedByAnotherOverrideIsUserDefined() throws Exception {
    MasterCf m = load("smtp inet n - n - - smtpd -o my_limit=3 -o smtpd_recipient_limit=$my_limit");
    assertEquals(List.of(), m.warnings());
  }

  @Test
  void badOverrideValueIsAnErrorAtTheServiceLine() throws Exception {
    MasterCf m = load("#", "smtp inet n - n - - smtpd", " -o hopcount_limit=$lots");
    String msg =
        assertThrows(
                ConfigException.class, () -> m.validateOverrides(Config.of(Map.of("lots", "many"))))
            .getMessage();
    assertEquals(
        dir.resolve("master.cf")
            + ", line 2: bad numerical value for parameter hopcount_limit: 'many'",
        msg);
  }

  @Test
  void tooFewColumnsIsAnErrorNamingTheMissingField() throws Exception {
    assertEquals(
        "master.cf, line 1: missing command name field: \"smtp inet n - n - -\"",
        error("smtp inet n - n - -"));
    assertEquals("master.cf, line 1: missing transport type field: \"smtp\"", error("smtp"));
  }

  @Test
  void badTypeIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 2: bad transport type: \"tcp\"", error("# x", "smtp tcp n - n - - smtpd"));
  }

  @Test
  void badYesNoColumnIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad chroot field, expected y, n or -: \"yes\"",
        error("smtp unix - - yes - - smtp"));
  }

  @Test
  void badWakeupIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad wakeup time: \"5m\"", error("pickup unix n - n 5m 1 pickup"));
  }

  @Test
  void badMaxprocIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad max process count: \"-1\"", error("smtp unix - - n - -1 smtp"));
    assertEquals(
        "master.cf, line 1: bad max process count: \"many\"", error("smtp unix - - n - many smtp"));
  }

  @Test
  void badPortIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad port in inet service name: \"127.0.0.1:nosuch\"",
        error("127.0.0.1:nosuch inet n - n - - smtpd"));
    assertEquals(
        "master.cf, line 1: bad port in inet service name: \"65536\"",
        error("65536 inet n - n - - smtpd"));
    assertEquals(
        "master.cf, line 1: bad port in inet service name: \"[::1]:\"",
        error("[::1]: inet n - n - - smtpd"));
  }

  @Test
  void badInetAddressIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad inet service name, expected host:port or [address]:port:"
            + " \"::1:25\"",
        error("::1:25 inet n - n - - smtpd"));
    assertEquals(
        "master.cf, line 1: bad inet service name, expected [address]:port: \"[::1]25\"",
        error("[::1]25 inet n - n - - smtpd"));
    assertEquals(
        "master.cf, line 1: bad inet service name, expected host:port or [address]:port: \":25\"",
        error(":25 inet n - n - - smtpd"));
  }

  @Test
  void malformedOverrideIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: bad -o option, expected name=value: \"hopcount_limit\"",
        error("smtp inet n - n - - smtpd -o hopcount_limit"));
    assertEquals(
        "master.cf, line 1: bad -o option, expected name=value: \"= 5\"",
        error("smtp inet n - n - - smtpd -o { = 5 }"));
    assertEquals(
        "master.cf, line 1: -o requires a name=value argument",
        error("smtp inet n - n - - smtpd -o"));
  }

  @Test
  void unbalancedBraceIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 1: missing '}' in: \"{ smtpd_banner = x\"",
        error("smtp inet n - n - - smtpd -o { smtpd_banner = x"));
    assertEquals(
        "master.cf, line 1: missing white space after '}' in: \"{ a = b }c\"",
        error("smtp inet n - n - - smtpd -o { a = b }c"));
  }

  @Test
  void duplicateServiceIsAnError() throws Exception {
    assertEquals(
        "master.cf, line 3: duplicate service: smtp/unix",
        error("smtp inet n - n - - smtpd", "smtp unix - - n - - smtp", "smtp unix - - n - - smtp"));
  }

  @Test
  void missingMasterCfIsAnError() {
    String msg = assertThrows(ConfigException.class, () -> MasterCf.load(dir)).getMessage();
    assertEquals("open " + dir.resolve("master.cf") + ": No such file or directory", msg);
  }
}
