package io.gannet.journal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child process for {@link JournalCrashTest}: appends Accepted records from several threads as
 * fast as it can and prints {@code ack N INDEX} for each one whose append completed (durable), until
 * it is killed.
 */
public final class CrashWriter {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int chunk = Integer.parseInt(args[1]);
    ChronicleJournal j = ChronicleJournal.open(dir, JournalOptions.defaults().withChunkSize(chunk));
    AtomicLong next = new AtomicLong(Long.parseLong(args[2]));
    Object out = new Object();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        while (true) {
          long n = next.getAndIncrement();
          // every fifth message is chunked, so a kill can tear a multi-frame record
          int size = n % 5 == 0 ? chunk * 3 + 17 : 200;
          long index = j.append(Records.accepted(n, size)).toCompletableFuture().join();
          synchronized (out) {
            System.out.println("ack " + n + " " + index);
            System.out.flush();
          }
        }
      });
      th.start();
    }
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
