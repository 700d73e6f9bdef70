package io.gannet.global;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks between parameters, run once at start-up after main.cf is read, as the {@code post_init}
 * functions of Postfix's daemons: each inconsistency is a warning, {@code "%s is smaller than %s -
 * adjusting %s"}, and the value is clamped so the daemon can run.
 *
 * <ul>
 *   <li>maximal_backoff_time below minimal_backoff_time: raised to minimal_backoff_time.
 *   <li>qmgr_message_recipient_limit below qmgr_message_active_limit: the active limit is lowered
 *       to the recipient limit (Postfix's qmgr does the same).
 *   <li>maximal_queue_lifetime below bounce_queue_lifetime: bounce_queue_lifetime is lowered.
 * </ul>
 *
 * <p>Not run by {@code gannet conf}, which shows the files as written, as postconf does.
 */
public final class PostInit {

  /** The configuration to run with and the warnings to log. */
  public record Result(Config config, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  private PostInit() {}

  /** Checks {@code config}, which must already be valid parameter by parameter ({@link MainCf}). */
  public static Result check(Config config) {
    Map<String, String> adjusted = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long minBackoff = config.get(MailParams.MINIMAL_BACKOFF_TIME);
    if (config.get(MailParams.MAXIMAL_BACKOFF_TIME) < minBackoff) {
      warnings.add(smaller(MailParams.MAXIMAL_BACKOFF_TIME, MailParams.MINIMAL_BACKOFF_TIME, true));
      adjusted.put(MailParams.MAXIMAL_BACKOFF_TIME.name(), minBackoff + "s");
    }
    int recipientLimit = config.get(MailParams.QMGR_MESSAGE_RECIPIENT_LIMIT);
    if (recipientLimit < config.get(MailParams.QMGR_MESSAGE_ACTIVE_LIMIT)) {
      warnings.add(
          smaller(
              MailParams.QMGR_MESSAGE_RECIPIENT_LIMIT,
              MailParams.QMGR_MESSAGE_ACTIVE_LIMIT,
              false));
      adjusted.put(MailParams.QMGR_MESSAGE_ACTIVE_LIMIT.name(), Integer.toString(recipientLimit));
    }
    long maxLifetime = config.get(MailParams.MAXIMAL_QUEUE_LIFETIME);
    if (maxLifetime < config.get(MailParams.BOUNCE_QUEUE_LIFETIME)) {
      warnings.add(
          smaller(MailParams.MAXIMAL_QUEUE_LIFETIME, MailParams.BOUNCE_QUEUE_LIFETIME, false));
      adjusted.put(MailParams.BOUNCE_QUEUE_LIFETIME.name(), maxLifetime + "s");
    }
    return new Result(adjusted.isEmpty() ? config : config.withOverrides(adjusted), warnings);
  }

  /** {@code "a is smaller than b - adjusting X"}, X being {@code a} or else {@code b}. */
  private static String smaller(Param<?> a, Param<?> b, boolean adjustA) {
    return a.name() + " is smaller than " + b.name() + " - adjusting " + (adjustA ? a : b).name();
  }
}
