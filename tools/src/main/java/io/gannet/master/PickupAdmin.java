package io.gannet.master;

import io.gannet.global.MasterCf;
import io.gannet.pickup.Pickup;
import io.gannet.pickup.PickupOutcome;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's admin command {@code pickup}, with which {@code gannet sendmail} pokes pickup after
 * leaving a file in maildrop:
 *
 * <pre>
 *   pickup          scan maildrop now; OK when the scan is over
 *   pickup NAME     the same, then one data line saying what became of maildrop file NAME:
 *                   queued QUEUEID | rejected REPLY | discarded REASON | deferred REASON |
 *                   corrupt REASON | unknown REASON   ({@link PickupOutcome.Kind})
 * </pre>
 *
 * {@code ERR pickup is not enabled in master.cf} when master.cf has no pickup service.
 */
final class PickupAdmin implements AdminHandler {
  private static final long TIMEOUT_SECONDS = 50;

  private final Pickup pickup;

  /** @param pickup the running pickup, or {@code null} when master.cf does not run one */
  PickupAdmin(Pickup pickup) {
    this.pickup = pickup;
  }

  /** Whether master.cf runs pickup (a service whose command is {@code pickup}). */
  static boolean enabled(MasterCf master) {
    return master.services().stream().anyMatch(s -> s.command().equals("pickup"));
  }

  @Override
  public void handle(List<String> args, AdminReply reply) throws Exception {
    if (pickup == null) {
      throw new AdminException("pickup is not enabled in master.cf");
    }
    if (args.isEmpty()) {
      pickup.poke().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return;
    }
    String name = args.get(0);
    if (args.size() != 1 || name.startsWith(".") || name.contains("/")) {
      throw new AdminException("usage: pickup [NAME]");
    }
    PickupOutcome o = pickup.pickUp(name).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    reply.line(o.kind().name().toLowerCase(Locale.ROOT) + " " + o.detail());
  }
}
