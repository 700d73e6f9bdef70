package io.gannet.cli;

import io.gannet.global.Recipient;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One journal entry as one line of JSON ({@code gannet cat --json}): {@code index}, {@code type},
 * {@code queue_id}, {@code time} (epoch millis) and the record's fields; content as a UTF-8 string
 * (invalid bytes replaced) under {@code content}. Corrupt entries: {@code type: "corrupt"} and
 * {@code reason}.
 */
final class JsonLine {
  private final StringBuilder sb = new StringBuilder(256);
  private boolean first = true;

  private JsonLine() {
    sb.append('{');
  }

  static String of(JournalEntry e) {
    JsonLine j = new JsonLine();
    j.num("index", e.index());
    if (e.isCorrupt()) {
      return j.str("type", "corrupt").str("reason", e.corrupt()).end();
    }
    JournalRecord r = e.record();
    j.str("type", r.getClass().getSimpleName()).str("queue_id", r.queueId().toString())
        .num("time", r.time());
    if (r instanceof Accepted a) {
      j.accepted(a);
    } else if (r instanceof Moved m) {
      j.num("from_index", m.fromIndex()).raw("pending", ints(m.pending()))
          .num("attempts", m.attempts()).num("next_attempt", m.nextAttempt())
          .raw("held", Boolean.toString(m.held())).num("notices_queued", m.noticesQueued());
      j.accepted(m.message());
    } else if (r instanceof Delivered d) {
      j.str("relay", d.relay()).raw("results", results(d.results()));
    } else if (r instanceof Deferred d) {
      j.str("relay", d.relay()).num("next_attempt", d.nextAttempt())
          .raw("results", results(d.results()));
    } else if (r instanceof Bounced b) {
      j.str("relay", b.relay()).raw("results", results(b.results()));
    } else if (r instanceof Held h) {
      j.str("reason", h.reason());
    } else if (r instanceof Deleted d) {
      j.str("reason", d.reason());
    } else if (r instanceof NoticeQueued n) {
      j.str("kind", n.kind().name()).str("notice", n.notice().toString())
          .raw("recipients", ints(n.recipients()));
    }
    return j.end();
  }

  private void accepted(Accepted a) {
    str("client_address", a.client().address()).str("client_name", a.client().name())
        .str("helo", a.client().helo()).str("protocol", a.client().protocol())
        .str("sender", a.sender());
    if (a.envid() != null) {
      str("envid", a.envid());
    }
    str("ret", a.ret().name()).str("body", a.body().name())
        .raw("smtputf8", Boolean.toString(a.smtputf8())).num("size", a.size());
    StringBuilder rs = new StringBuilder("[");
    for (Recipient rc : a.recipients()) {
      if (rs.length() > 1) {
        rs.append(',');
      }
      rs.append("{\"address\":").append(quote(rc.address()));
      if (rc.orcpt() != null) {
        rs.append(",\"orcpt\":").append(quote(rc.orcpt()));
      }
      if (rc.notifyText() != null) {
        rs.append(",\"notify\":").append(quote(rc.notifyText()));
      }
      rs.append('}');
    }
    raw("recipients", rs.append(']').toString());
    str("content", new String(a.content(), StandardCharsets.UTF_8));
  }

  private static String results(List<RecipientResult> results) {
    StringBuilder sb = new StringBuilder("[");
    for (RecipientResult r : results) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"index\":").append(r.index()).append(",\"address\":")
          .append(quote(r.address())).append(",\"dsn\":").append(quote(r.dsn()))
          .append(",\"reply\":").append(quote(r.reply())).append('}');
    }
    return sb.append(']').toString();
  }

  private static String ints(List<Integer> ints) {
    return ints.toString().replace(" ", "");
  }

  private JsonLine key(String k) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    sb.append('"').append(k).append("\":");
    return this;
  }

  private JsonLine str(String k, String v) {
    key(k).sb.append(quote(v));
    return this;
  }

  private JsonLine num(String k, long v) {
    key(k).sb.append(v);
    return this;
  }

  private JsonLine raw(String k, String json) {
    key(k).sb.append(json);
    return this;
  }

  private String end() {
    return sb.append('}').toString();
  }

  /** A JSON string literal (RFC 8259 escapes). */
  static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
