package io.gannet.smtpd;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of networks in {@code mynetworks} syntax: {@code 192.0.2.0/24}, {@code 192.0.2.1}, {@code
 * [2001:db8::]/32}, {@code [::1]}, {@code ::1/128}. Only address literals: a host name, {@code
 * /file} or {@code type:table} entry is a configuration error (no DNS at start-up or in the hot
 * path). Matching uses Netty's {@link IpSubnetFilterRule}. Immutable, thread-safe.
 */
public final class Mynetworks {

  private final List<IpSubnetFilterRule> rules;
  private final String text;

  private Mynetworks(List<IpSubnetFilterRule> rules, String text) {
    this.rules = rules;
    this.text = text;
  }

  /**
   * Parses the entries of parameter {@code parameter}; throws {@link IllegalArgumentException}
   * naming the parameter and the bad entry.
   */
  public static Mynetworks parse(String parameter, List<String> entries) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String entry : entries) {
      rules.add(rule(parameter, entry));
    }
    return new Mynetworks(List.copyOf(rules), String.join(" ", entries));
  }

  private static IpSubnetFilterRule rule(String parameter, String entry) {
    String addr = entry;
    String prefix = null;
    int slash = entry.lastIndexOf('/');
    if (slash >= 0) {
      addr = entry.substring(0, slash);
      prefix = entry.substring(slash + 1);
    }
    if (addr.startsWith("[") && addr.endsWith("]")) {
      addr = addr.substring(1, addr.length() - 1);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(addr);
    if (bytes == null) {
      throw new IllegalArgumentException(
          parameter
              + ": unsupported entry '"
              + entry
              + "' (use an address or address/prefix; host names and tables are not supported)");
    }
    int max = bytes.length * 8;
    int bits = max;
    if (prefix != null) {
      try {
        bits = Integer.parseInt(prefix);
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException(
            parameter + ": bad network prefix in '" + entry + "' (0 to " + max + ")");
      }
    }
    try {
      return new IpSubnetFilterRule(InetAddress.getByAddress(bytes), bits, IpFilterRuleType.ACCEPT);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(parameter + ": bad address '" + entry + "'", e);
    }
  }

  /** True when {@code client} is in one of the networks. */
  public boolean contains(InetSocketAddress client) {
    if (client == null) {
      return false;
    }
    for (IpSubnetFilterRule r : rules) {
      if (r.matches(client)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
