package io.gannet.dns;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Turns a next hop into the addresses to try, in order (Postfix's smtp_addr / dns_lookup).
 *
 * <ul>
 *   <li>{@code [host]} or {@code [host]:port}: no MX lookup; the host's A/AAAA records (or the
 *       literal IP address).
 *   <li>{@code domain} or {@code domain:port}: MX lookup, sorted by preference, equal preferences
 *       shuffled; no MX records: the domain's own A/AAAA records.
 * </ul>
 *
 * At most {@code smtp_mx_address_limit} addresses (0 = no limit). Failures complete the stage
 * exceptionally with {@link DnsLookupException}, which says whether they are permanent.
 */
public interface MailHostResolver {

  CompletionStage<List<MailHost>> resolve(String nexthop, int defaultPort);
}
