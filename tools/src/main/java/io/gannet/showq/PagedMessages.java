package io.gannet.showq;

import io.gannet.global.QueueId;
import io.gannet.journal.MessageState;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads messages page by page in queue id order ({@code QueueProjection.messages(after, limit)})
 * and hands them out one at a time: memory holds one page, whatever the size of the queue.
 */
final class PagedMessages implements Iterator<MessageState> {

  /** One page: at most {@code limit} messages after {@code after} (null: from the start). */
  @FunctionalInterface
  interface Pages {
    List<MessageState> after(QueueId after, int limit);
  }

  /** Messages per page, as the brief of showq asks: small enough to start at once. */
  static final int PAGE = 1000;

  private final Pages pages;
  private final int pageSize;
  private List<MessageState> page = List.of();
  private int next;
  private boolean last;
  private QueueId after;

  PagedMessages(Pages pages, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size " + pageSize);
    }
    this.pages = pages;
    this.pageSize = pageSize;
  }

  @Override
  public boolean hasNext() {
    if (next < page.size()) {
      return true;
    }
    if (last) {
      return false;
    }
    page = pages.after(after, pageSize);
    next = 0;
    last = page.size() < pageSize;
    if (!page.isEmpty()) {
      after = page.get(page.size() - 1).queueId();
    }
    return !page.isEmpty();
  }

  @Override
  public MessageState next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.get(next++);
  }
}
