package io.gannet.bounce;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.MessageState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A small builder of {@link MessageState}s for notice tests. */
final class States {

  static final QueueId QID = QueueId.of(1_700_000_000_000L, 7, 42);
  static final long ARRIVAL = 1_700_000_000_000L;
  static final ClientInfo SMTP_CLIENT =
      new ClientInfo("192.0.2.9", "client.example", "client.example", "ESMTP");

  ClientInfo client = SMTP_CLIENT;
  String sender = "alice@example.org";
  String envid = null;
  DsnRet ret = DsnRet.DEFAULT;
  boolean smtputf8 = false;
  List<Recipient> recipients = List.of(Recipient.of("bob@example.com"));
  Set<Integer> pending = Set.of();
  Set<Integer> bounced = Set.of();
  Set<Integer> delivered = Set.of();
  Map<Integer, String> reasons = new HashMap<>();
  int attempts = 0;
  boolean held = false;
  int noticesQueued = 0;

  MessageState build() {
    return new MessageState(QID, 100, ARRIVAL, client, sender, envid, ret, BodyType.UNSPECIFIED,
        smtputf8, 1234, recipients, new TreeSet<>(pending), attempts,
        attempts == 0 ? 0 : ARRIVAL + 300_000, held, noticesQueued, reasons,
        new TreeSet<>(bounced), new TreeSet<>(delivered));
  }

  States sender(String s) {
    sender = s;
    return this;
  }

  States recipients(Recipient... r) {
    recipients = List.of(r);
    return this;
  }

  States pending(Integer... i) {
    pending = Set.of(i);
    return this;
  }

  States bounced(Integer... i) {
    bounced = Set.of(i);
    return this;
  }

  States delivered(Integer... i) {
    delivered = Set.of(i);
    return this;
  }

  States deferred(int attempts, Integer... i) {
    this.attempts = attempts;
    pending = Set.of(i);
    for (int x : i) {
      reasons.put(x, "host mx.example.com[192.0.2.1] said: 451 4.3.0 try again later"
          + " (in reply to RCPT TO command)");
    }
    return this;
  }

  States queued(int bits) {
    noticesQueued = bits;
    return this;
  }

  States client(ClientInfo c) {
    client = c;
    return this;
  }

  static Recipient rcpt(String address, int flags) {
    return new Recipient(address, null, flags);
  }
}
