package io.gannet.postsuper;

import io.gannet.global.QueueId;
import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code gannet super} through the running daemon: sends {@link SuperRequest}s on the admin
 * socket, at most {@link SuperRequest#IDS_PER_REQUEST} queue ids each, and reads the outcomes.
 */
public final class RemoteSuper implements SuperQueue {
  private final AdminClient client;

  public RemoteSuper(AdminClient client) {
    this.client = client;
  }

  /**
   * @throws io.gannet.master.AdminUnavailableException the daemon does not answer
   * @throws IOException the daemon refused (the message is its reason) or the connection broke
   */
  @Override
  public List<Postsuper.Outcome> apply(
      SuperAction action, Set<QueueName> queues, List<QueueId> ids) throws IOException {
    List<QueueId> unique = ids.stream().distinct().toList();
    List<Postsuper.Outcome> out = new ArrayList<>(unique.size());
    for (int i = 0; i < unique.size(); i += SuperRequest.IDS_PER_REQUEST) {
      List<QueueId> batch =
          unique.subList(i, Math.min(unique.size(), i + SuperRequest.IDS_PER_REQUEST));
      for (String line : send(SuperRequest.named(action, queues, batch)).lines()) {
        out.add(outcome(line));
      }
    }
    return out;
  }

  @Override
  public Postsuper.Page applyAll(SuperAction action, Set<QueueName> queues, QueueId after)
      throws IOException {
    AdminResponse r = send(SuperRequest.page(action, queues, after));
    List<QueueId> done = new ArrayList<>();
    QueueId next = null;
    for (String line : r.lines()) {
      if (line.startsWith(SuperRequest.NEXT + " = ")) {
        next = id(line.substring(SuperRequest.NEXT.length() + 3), line);
        continue;
      }
      Postsuper.Outcome o = outcome(line);
      if (o.status() == Postsuper.Status.DONE) {
        done.add(o.id());
      }
    }
    return new Postsuper.Page(done, next);
  }

  private AdminResponse send(SuperRequest request) throws IOException {
    AdminResponse r = client.request(request.words());
    if (!r.ok()) {
      throw new IOException(r.error());
    }
    return r;
  }

  /** {@code done ID}, {@code skipped ID} or {@code missing ID}. */
  private static Postsuper.Outcome outcome(String line) throws IOException {
    int sp = line.indexOf(' ');
    if (sp < 0) {
      throw new IOException("unexpected reply from the daemon: " + line);
    }
    Postsuper.Status status;
    try {
      status = Postsuper.Status.valueOf(line.substring(0, sp).toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException("unexpected reply from the daemon: " + line);
    }
    return new Postsuper.Outcome(id(line.substring(sp + 1), line), status);
  }

  private static QueueId id(String text, String line) throws IOException {
    try {
      return QueueId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("unexpected reply from the daemon: " + line);
    }
  }

  @Override
  public void close() {}
}
