package io.gannet.rewrite;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.table.DomainList;
import io.gannet.global.table.LookupTables;
import java.nio.file.Path;
import java.util.Locale;

/**
 * NAME
 *
 * <p>trivial-rewrite - address canonicalization, classification and transport resolution
 *
 * <p>DESCRIPTION
 *
 * <p>Gannet's counterpart of Postfix's trivial-rewrite(8), as a thread-safe object in the daemon's
 * JVM instead of a separate process. It reads its configuration and opens its tables once, at
 * construction; a changed main.cf or table needs a new instance (Postfix: reload).
 *
 * <ul>
 *   <li>{@link #canonicalize}: the "local" rewriting context: strip a source route
 *       ({@code @a,@b:user@domain}), append {@code @$myorigin} to a bare {@code user}, append
 *       {@code .$mydomain} to a dotless domain when {@code append_dot_mydomain = yes}, drop a
 *       trailing dot and lower-case the domain. The local part is kept as written.
 *   <li>{@link #classify}: LOCAL for {@code mydestination}, an empty domain and loopback address
 *       literals; VIRTUAL for {@code virtual_mailbox_domains}; RELAY for {@code relay_domains};
 *       DEFAULT otherwise. Checked in that order.
 *   <li>{@link #resolve}: {@code transport_maps} first (see {@link TransportMaps}); an entry {@code
 *       transport:} keeps the recipient domain as next hop, {@code :nexthop} keeps the class's
 *       transport, {@code :} changes nothing. Otherwise the class decides: LOCAL uses {@code
 *       local_transport} (next hop its own or {@code $myhostname}), VIRTUAL {@code
 *       virtual_transport} (its own or the domain), RELAY {@code relay_transport} and DEFAULT
 *       {@code default_transport} (each: its own next hop, else {@code relayhost}, else the
 *       domain). Next hops keep Postfix syntax; {@link NextHop} parses them.
 * </ul>
 *
 * <p>TRUST: addresses come from clients and are only rewritten, never executed; tables are trusted
 * configuration.
 *
 * <p>CONFIGURATION PARAMETERS: myorigin ($myhostname), mydomain (localdomain), myhostname,
 * append_dot_mydomain (no), mydestination ($myhostname, localhost.$mydomain, localhost),
 * virtual_mailbox_domains (empty), relay_domains (empty), parent_domain_matches_subdomains,
 * transport_maps (empty), relayhost (empty), local_transport (local:$myhostname), virtual_transport
 * (virtual), relay_transport (relay), default_transport (smtp).
 *
 * <p>NOT DONE: bang paths ({@code host!user}), the percent hack ({@code user%domain}), {@code
 * virtual_alias_domains} as an address class, sender-dependent relay hosts, address extensions
 * ({@code recipient_delimiter}) in transport lookups.
 *
 * <p>SEE ALSO: {@link io.gannet.global.table.LookupTables}, Postfix trivial-rewrite(8),
 * transport(5), ADDRESS_CLASS_README.
 */
public final class TrivialRewriteService implements TrivialRewrite {

  private final String myorigin;
  private final String mydomain;
  private final String myhostname;
  private final boolean appendDotMydomain;
  private final DomainList mydestination;
  private final DomainList virtualMailboxDomains;
  private final DomainList relayDomains;
  private final TransportMaps transportMaps;
  private final String relayhost;
  private final String[] localTransport;
  private final String[] virtualTransport;
  private final String[] relayTransport;
  private final String[] defaultTransport;

  /**
   * Reads the parameters and opens the tables named in {@code config}; relative table paths are
   * resolved against {@code configDirectory}. Throws {@link
   * io.gannet.global.table.LookupTableException} or {@link IllegalArgumentException} with a message
   * naming the parameter or table at fault.
   */
  public TrivialRewriteService(Config config, Path configDirectory) {
    this.myhostname = config.get(MailParams.MYHOSTNAME).strip().toLowerCase(Locale.ROOT);
    this.myorigin = config.get(MailParams.MYORIGIN).strip().toLowerCase(Locale.ROOT);
    this.mydomain = config.get(MailParams.MYDOMAIN).strip().toLowerCase(Locale.ROOT);
    this.appendDotMydomain = config.get(MailParams.APPEND_DOT_MYDOMAIN);
    this.mydestination = DomainList.of(config, MailParams.MYDESTINATION, configDirectory);
    this.virtualMailboxDomains =
        DomainList.of(config, MailParams.VIRTUAL_MAILBOX_DOMAINS, configDirectory);
    this.relayDomains = DomainList.of(config, MailParams.RELAY_DOMAINS, configDirectory);
    boolean transportParent =
        config
            .get(MailParams.PARENT_DOMAIN_MATCHES_SUBDOMAINS)
            .contains(MailParams.TRANSPORT_MAPS.name());
    this.transportMaps =
        new TransportMaps(
            LookupTables.openList(config, MailParams.TRANSPORT_MAPS, configDirectory),
            transportParent);
    this.relayhost = config.get(MailParams.RELAYHOST).strip();
    this.localTransport = split(config.get(MailParams.LOCAL_TRANSPORT));
    this.virtualTransport = split(config.get(MailParams.VIRTUAL_TRANSPORT));
    this.relayTransport = split(config.get(MailParams.RELAY_TRANSPORT));
    this.defaultTransport = split(config.get(MailParams.DEFAULT_TRANSPORT));
  }

  @Override
  public String canonicalize(String address) {
    String a = address.strip();
    if (a.length() >= 2 && a.charAt(0) == '<' && a.charAt(a.length() - 1) == '>') {
      a = a.substring(1, a.length() - 1);
    }
    if (a.isEmpty()) {
      return "";
    }
    if (a.charAt(0) == '@' && a.indexOf(':') > 0) {
      a = a.substring(a.indexOf(':') + 1); // source route @a,@b:user@domain
    }
    int at = a.lastIndexOf('@');
    String local = at < 0 ? a : a.substring(0, at);
    String domain = at < 0 ? "" : a.substring(at + 1);
    if (domain.isEmpty()) {
      domain = myorigin;
    }
    domain = stripDots(domain).toLowerCase(Locale.ROOT);
    if (appendDotMydomain
        && !mydomain.isEmpty()
        && !domain.isEmpty()
        && domain.indexOf('.') < 0
        && domain.charAt(0) != '[') {
      domain = domain + "." + mydomain;
    }
    return local + "@" + domain;
  }

  @Override
  public AddressClass classify(String address) {
    return classOf(domainOf(canonicalize(address)));
  }

  @Override
  public Resolution resolve(String address) {
    String canonical = canonicalize(address);
    String domain = domainOf(canonical);
    AddressClass cls = classOf(domain);
    String[] byClass = byClass(cls);
    String transport = byClass[0];
    String nexthop = byClass[1];
    if (nexthop.isEmpty()) {
      nexthop = defaultNexthop(cls, domain);
    }
    String entry = transportMaps.find(canonical, domain);
    if (entry != null) {
      String[] t = split(entry);
      if (!t[0].isEmpty()) {
        transport = t[0];
        nexthop = domain;
      }
      if (!t[1].isEmpty()) {
        nexthop = t[1];
      }
    }
    return new Resolution(cls, transport, nexthop, canonical);
  }

  /** True when {@code domain} is a local domain (LOCAL class): for map lookups by user name. */
  public boolean isLocalDomain(String domain) {
    return classOf(stripDots(domain).toLowerCase(Locale.ROOT)) == AddressClass.LOCAL;
  }

  private AddressClass classOf(String domain) {
    if (domain.isEmpty() || mydestination.matches(domain) || isLoopbackLiteral(domain)) {
      return AddressClass.LOCAL;
    }
    if (virtualMailboxDomains.matches(domain)) {
      return AddressClass.VIRTUAL;
    }
    if (relayDomains.matches(domain)) {
      return AddressClass.RELAY;
    }
    return AddressClass.DEFAULT;
  }

  private String[] byClass(AddressClass cls) {
    switch (cls) {
      case LOCAL:
        return localTransport;
      case VIRTUAL:
        return virtualTransport;
      case RELAY:
        return relayTransport;
      default:
        return defaultTransport;
    }
  }

  private String defaultNexthop(AddressClass cls, String domain) {
    switch (cls) {
      case LOCAL:
        return myhostname;
      case VIRTUAL:
        return domain;
      default:
        return relayhost.isEmpty() ? domain : relayhost;
    }
  }

  /** {@code transport:nexthop} into its two parts; either may be empty. */
  private static String[] split(String value) {
    String v = value.strip();
    int colon = v.indexOf(':');
    return colon < 0
        ? new String[] {v, ""}
        : new String[] {v.substring(0, colon).strip(), v.substring(colon + 1).strip()};
  }

  private static String domainOf(String canonical) {
    int at = canonical.lastIndexOf('@');
    return at < 0 ? "" : canonical.substring(at + 1);
  }

  private static String stripDots(String domain) {
    int end = domain.length();
    while (end > 0 && domain.charAt(end - 1) == '.') {
      end--;
    }
    return domain.substring(0, end);
  }

  private static boolean isLoopbackLiteral(String domain) {
    return domain.startsWith("[127.") || domain.equals("[ipv6:::1]") || domain.equals("[::1]");
  }
}
