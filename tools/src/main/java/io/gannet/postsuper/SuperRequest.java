package io.gannet.postsuper;

import io.gannet.global.QueueId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@code super} request of the admin protocol ({@link io.gannet.master.AdminProtocol}), which
 * the command sends when the daemon runs and the daemon answers with {@link Postsuper}:
 *
 * <pre>
 *   super ACTION QUEUES QUEUEID...        the named messages
 *   super ACTION QUEUES ALL CURSOR        one page of every message, after CURSOR ("-": first)
 * </pre>
 *
 * ACTION is {@code delete}, {@code hold}, {@code release} or {@code requeue}; QUEUES is {@code any}
 * or a comma-separated list of {@code hold}, {@code incoming}, {@code active}, {@code deferred}.
 * The reply has one data line per message, {@code done ID}, {@code skipped ID} or {@code missing
 * ID} ({@link Postsuper.Status}); a page of ALL lists only {@code done ID} lines and, when more
 * messages follow, {@code next = ID}.
 *
 * @param ids the messages named; empty for ALL
 * @param all every message, one page
 * @param after for ALL: the page starts after this id; {@code null} for the first page
 */
public record SuperRequest(
    SuperAction action, Set<QueueName> queues, List<QueueId> ids, boolean all, QueueId after) {

  /** The admin command name. */
  public static final String COMMAND = "super";

  /** The reply line that says where the next page of ALL starts. */
  public static final String NEXT = "next";

  /** Named messages per request: keeps the line well below the protocol's 4096 bytes. */
  public static final int IDS_PER_REQUEST = 200;

  private static final String ANY = "any";
  private static final String ALL = "ALL";
  private static final String FIRST = "-";

  public SuperRequest {
    queues = queues.isEmpty() ? Set.copyOf(QueueName.ALL) : Set.copyOf(queues);
    ids = List.copyOf(ids);
    if (all != ids.isEmpty()) {
      throw new IllegalArgumentException(all ? "ALL with queue ids" : "no queue ids");
    }
  }

  public static SuperRequest named(SuperAction action, Set<QueueName> queues, List<QueueId> ids) {
    return new SuperRequest(action, queues, ids, false, null);
  }

  public static SuperRequest page(SuperAction action, Set<QueueName> queues, QueueId after) {
    return new SuperRequest(action, queues, List.of(), true, after);
  }

  /** The words of the request, command name first. */
  public List<String> words() {
    List<String> w = new ArrayList<>();
    w.add(COMMAND);
    w.add(action.word());
    w.add(queues.containsAll(QueueName.ALL) ? ANY
        : EnumSet.copyOf(queues).stream().map(QueueName::word).collect(Collectors.joining(",")));
    if (all) {
      w.add(ALL);
      w.add(after == null ? FIRST : after.toString());
    } else {
      ids.forEach(id -> w.add(id.toString()));
    }
    return w;
  }

  /**
   * The request of the words after the command name.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SuperRequest parse(List<String> args) {
    if (args.size() < 3) {
      throw new IllegalArgumentException(
          "usage: super ACTION QUEUES QUEUEID... | super ACTION QUEUES ALL CURSOR");
    }
    SuperAction action = SuperAction.ofWord(args.get(0));
    Set<QueueName> queues = EnumSet.noneOf(QueueName.class);
    if (args.get(1).equals(ANY)) {
      queues.addAll(QueueName.ALL);
    } else {
      for (String q : args.get(1).split(",")) {
        queues.add(QueueName.parse(q));
      }
    }
    if (args.get(2).equals(ALL)) {
      if (args.size() != 4) {
        throw new IllegalArgumentException("usage: super ACTION QUEUES ALL CURSOR");
      }
      String cursor = args.get(3);
      return page(action, queues, cursor.equals(FIRST) ? null : QueueId.parse(cursor));
    }
    List<QueueId> ids = new ArrayList<>();
    for (String id : args.subList(2, args.size())) {
      ids.add(QueueId.parse(id));
    }
    return named(action, queues, ids);
  }
}
