package io.gannet.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.Config;
import io.gannet.global.table.LookupTableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrivialRewriteServiceTest {

  @TempDir Path dir;
  private TrivialRewriteService rewrite;

  /** The main.cf of the golden table below. */
  private Map<String, String> mainCf() {
    Map<String, String> m = new HashMap<>();
    m.put("myhostname", "mx.example.net");
    m.put("mydomain", "example.net");
    m.put("myorigin", "$mydomain");
    m.put("mydestination", "$myhostname, localhost.$mydomain, localhost, $mydomain");
    m.put("virtual_mailbox_domains", "virt.example");
    m.put("relay_domains", "relay.example, texthash:relay_domains");
    m.put("relayhost", "[smarthost.example.net]:587");
    m.put("transport_maps", "texthash:transport, regexp:transport.re");
    return m;
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("relay_domains"), "tabled.example OK\n");
    Files.writeString(
        dir.resolve("transport"),
        String.join(
            "\n",
            "special.example     smtp:[special-mx.example]:2525",
            ".sub.example        smtp:[sub-gw.example]",
            "nohop.example       smtp:",
            "gwonly.example      :[gw.example]",
            "untouched.example   :",
            "user@routed.example error:5.1.1 mailbox unavailable",
            ""));
    Files.writeString(
        dir.resolve("transport.re"), "/^lmtp-.*@virt\\.example$/ lmtp:inet:[127.0.0.1]:24\n");
    rewrite = new TrivialRewriteService(Config.of(mainCf()), dir);
  }

  @ParameterizedTest(name = "{0} -> {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // address                  | class   | transport | nexthop
        "joe@example.net            | LOCAL   | local     | mx.example.net",
        "joe@MX.Example.NET.        | LOCAL   | local     | mx.example.net",
        "joe@localhost              | LOCAL   | local     | mx.example.net",
        "joe                        | LOCAL   | local     | mx.example.net",
        "joe@[127.0.0.1]            | LOCAL   | local     | mx.example.net",
        "ann@virt.example           | VIRTUAL | virtual   | virt.example",
        "lmtp-ann@virt.example      | VIRTUAL | lmtp      | inet:[127.0.0.1]:24",
        "bob@relay.example          | RELAY   | relay     | [smarthost.example.net]:587",
        "bob@mx1.relay.example      | RELAY   | relay     | [smarthost.example.net]:587",
        "bob@a.tabled.example       | RELAY   | relay     | [smarthost.example.net]:587",
        "carl@gmail.example         | DEFAULT | smtp      | [smarthost.example.net]:587",
        "carl@special.example       | DEFAULT | smtp      | [special-mx.example]:2525",
        "carl@a.b.sub.example       | DEFAULT | smtp      | [sub-gw.example]",
        "carl@sub.example           | DEFAULT | smtp      | [smarthost.example.net]:587",
        "carl@nohop.example         | DEFAULT | smtp      | nohop.example",
        "carl@gwonly.example        | DEFAULT | smtp      | [gw.example]",
        "carl@untouched.example     | DEFAULT | smtp      | [smarthost.example.net]:587",
        "user@routed.example        | DEFAULT | error     | 5.1.1 mailbox unavailable",
        "other@routed.example       | DEFAULT | smtp      | [smarthost.example.net]:587",
      })
  void goldenResolution(String address, AddressClass cls, String transport, String nexthop) {
    Resolution r = rewrite.resolve(address);
    assertEquals(cls, r.addressClass());
    assertEquals(cls, rewrite.classify(address));
    assertEquals(transport, r.transport());
    assertEquals(nexthop, r.nexthop());
    assertEquals(rewrite.canonicalize(address), r.recipient());
  }

  @Test
  void withoutRelayhostRemoteMailGoesToTheRecipientDomain() {
    Map<String, String> m = new HashMap<>();
    m.put("relay_domains", "relay.example");
    TrivialRewriteService r = new TrivialRewriteService(Config.of(m), dir);
    assertEquals(
        new Resolution(AddressClass.DEFAULT, "smtp", "gmail.example", "a@gmail.example"),
        r.resolve("a@gmail.example"));
    assertEquals(
        new Resolution(AddressClass.RELAY, "relay", "relay.example", "a@relay.example"),
        r.resolve("a@relay.example"));
  }

  @Test
  void transportNexthopInParameterBeatsRelayhost() {
    Map<String, String> m = mainCf();
    m.put("default_transport", "smtp:[outbound.example]:2525");
    m.put("transport_maps", "");
    Resolution r = new TrivialRewriteService(Config.of(m), dir).resolve("a@far.example");
    assertEquals("smtp", r.transport());
    assertEquals("[outbound.example]:2525", r.nexthop());
  }

  @Test
  void catchAllEntryAppliesLast() throws IOException {
    Files.writeString(dir.resolve("t2"), "* smtp:[catchall.example]\nnear.example relay:\n");
    Map<String, String> m = mainCf();
    m.put("transport_maps", "texthash:t2");
    TrivialRewriteService r = new TrivialRewriteService(Config.of(m), dir);
    assertEquals("[catchall.example]", r.resolve("a@far.example").nexthop());
    assertEquals("relay", r.resolve("a@near.example").transport());
    assertEquals("near.example", r.resolve("a@near.example").nexthop());
    assertEquals("[catchall.example]", r.resolve("joe@example.net").nexthop());
  }

  @Test
  void transportMapsUsesParentsOnlyWithDotUnlessParentMatchingIsOn() throws IOException {
    Files.writeString(dir.resolve("t3"), "example.org smtp:[org-gw]\n");
    Map<String, String> m = mainCf();
    m.put("transport_maps", "texthash:t3");
    m.put("relayhost", "");
    assertEquals(
        "mx.example.org",
        new TrivialRewriteService(Config.of(m), dir).resolve("a@mx.example.org").nexthop());
    m.put("parent_domain_matches_subdomains", "transport_maps");
    assertEquals(
        "[org-gw]",
        new TrivialRewriteService(Config.of(m), dir).resolve("a@mx.example.org").nexthop());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "joe                      | joe@example.net",
        "joe@                     | joe@example.net",
        "Joe@Host                 | Joe@host",
        "Joe@EXAMPLE.COM.         | Joe@example.com",
        "<joe@example.com>        | joe@example.com",
        "@a.example,@b.example:joe@c.example | joe@c.example",
        "\"a@b\"@Example.COM        | \"a@b\"@example.com",
        "joe@[192.0.2.1]          | joe@[192.0.2.1]",
      })
  void canonicalForms(String in, String out) {
    assertEquals(out, rewrite.canonicalize(in));
  }

  @Test
  void nullSenderStaysEmpty() {
    assertEquals("", rewrite.canonicalize(""));
    assertEquals("", rewrite.canonicalize("<>"));
  }

  @Test
  void appendDotMydomainQualifiesDotlessDomains() {
    Map<String, String> m = mainCf();
    m.put("append_dot_mydomain", "yes");
    TrivialRewriteService r = new TrivialRewriteService(Config.of(m), dir);
    assertEquals("joe@host.example.net", r.canonicalize("joe@HOST"));
    assertEquals("joe@a.example.com", r.canonicalize("joe@a.example.com"));
    assertEquals("joe@[192.0.2.1]", r.canonicalize("joe@[192.0.2.1]"));
    assertEquals("joe@example.net", r.canonicalize("joe"));
  }

  @Test
  void defaultConfigurationIsLocalForLocalhostAndDefaultElsewhere() {
    TrivialRewriteService r = new TrivialRewriteService(Config.defaults(), dir);
    assertEquals("root@localhost.localdomain", r.canonicalize("root"));
    assertEquals(AddressClass.LOCAL, r.classify("root"));
    assertEquals(
        new Resolution(
            AddressClass.LOCAL, "local", "localhost.localdomain", "root@localhost.localdomain"),
        r.resolve("root"));
    assertEquals(AddressClass.DEFAULT, r.classify("a@example.com"));
    assertTrue(r.isLocalDomain("LOCALHOST."));
  }

  @Test
  void badTableIsReportedWithTheParameterName() {
    Map<String, String> m = mainCf();
    m.put("transport_maps", "texthash:does-not-exist");
    LookupTableException e =
        assertThrows(
            LookupTableException.class, () -> new TrivialRewriteService(Config.of(m), dir));
    assertTrue(e.getMessage().startsWith("transport_maps: "), e.getMessage());
  }
}
