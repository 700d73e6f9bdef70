package io.gannet.global;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-transport parameters, as Postfix's {@code transport_destination_concurrency_limit}: for a
 * transport {@code smtp}, {@code smtp_destination_concurrency_limit} overrides {@code
 * default_destination_concurrency_limit} and defaults to {@code
 * $default_destination_concurrency_limit}.
 *
 * <p>A transport is a master.cf service that runs a delivery agent (see {@link
 * MasterCf#transports()}). The forms, each derived from the table entry it overrides:
 *
 * <pre>
 * TRANSPORT_destination_concurrency_limit                (default_destination_concurrency_limit)
 * TRANSPORT_destination_concurrency_failed_cohort_limit  (default_..._failed_cohort_limit)
 * TRANSPORT_destination_rate_delay                       (default_destination_rate_delay)
 * TRANSPORT_destination_recipient_limit                  (default_destination_recipient_limit)
 * TRANSPORT_initial_destination_concurrency              (initial_destination_concurrency)
 * </pre>
 */
public final class TransportParams {

  private static final Map<String, Param<?>> BASE_BY_SUFFIX = new LinkedHashMap<>();

  static {
    BASE_BY_SUFFIX.put(
        "_destination_concurrency_limit", MailParams.DEFAULT_DESTINATION_CONCURRENCY_LIMIT);
    BASE_BY_SUFFIX.put(
        "_destination_concurrency_failed_cohort_limit",
        MailParams.DEFAULT_DESTINATION_CONCURRENCY_FAILED_COHORT_LIMIT);
    BASE_BY_SUFFIX.put("_destination_rate_delay", MailParams.DEFAULT_DESTINATION_RATE_DELAY);
    BASE_BY_SUFFIX.put(
        "_destination_recipient_limit", MailParams.DEFAULT_DESTINATION_RECIPIENT_LIMIT);
    BASE_BY_SUFFIX.put(
        "_initial_destination_concurrency", MailParams.INITIAL_DESTINATION_CONCURRENCY);
  }

  private TransportParams() {}

  /**
   * The form of {@code base} for one transport, e.g. {@code of("smtp",
   * DEFAULT_DESTINATION_CONCURRENCY_LIMIT)} is {@code smtp_destination_concurrency_limit}; read it
   * with {@link Config#get(Param)}.
   *
   * @throws IllegalArgumentException if {@code base} has no per-transport form
   */
  public static <T> Param<T> of(String transport, Param<T> base) {
    for (Map.Entry<String, Param<?>> e : BASE_BY_SUFFIX.entrySet()) {
      if (e.getValue() == base) {
        return MailParams.derived(
            base,
            transport + e.getKey(),
            "$" + base.name(),
            base.description() + " (" + transport + ")");
      }
    }
    throw new IllegalArgumentException("no per-transport form of " + base.name());
  }

  /** Every per-transport parameter of one transport. */
  public static List<Param<?>> forTransport(String transport) {
    List<Param<?>> out = new ArrayList<>();
    for (Param<?> base : BASE_BY_SUFFIX.values()) {
      out.add(of(transport, base));
    }
    return out;
  }

  /**
   * The per-transport parameter that {@code name} spells for one of {@code transports}, or {@code
   * null} (also for every name of the table itself).
   */
  public static Param<?> byName(String name, Collection<String> transports) {
    Param<?> base = baseOf(name);
    if (base == null) {
      return null;
    }
    String transport = name.substring(0, name.length() - suffixOf(name).length());
    return transports.contains(transport) ? of(transport, base) : null;
  }

  /**
   * The default text of a name of per-transport shape ({@code $} and the parameter it overrides),
   * whatever the transport; {@code null} for other names. Lets {@link Config} expand {@code
   * $smtp_destination_rate_delay} without knowing master.cf.
   */
  static String defaultValue(String name) {
    Param<?> base = baseOf(name);
    return base == null ? null : "$" + base.name();
  }

  private static Param<?> baseOf(String name) {
    if (MailParams.byName(name) != null) {
      return null;
    }
    String suffix = suffixOf(name);
    return suffix == null ? null : BASE_BY_SUFFIX.get(suffix);
  }

  private static String suffixOf(String name) {
    for (String suffix : BASE_BY_SUFFIX.keySet()) {
      if (name.length() > suffix.length() && name.endsWith(suffix)) {
        return suffix;
      }
    }
    return null;
  }
}
