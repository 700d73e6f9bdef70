package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.journal.JournalRecord.Accepted;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract under kill -9: a child JVM appends from four threads; it is killed
 * without warning after some acknowledgements; every acknowledged record must then be readable,
 * at its acknowledged index, and the journal must accept new appends. Repeated over several kills
 * into the same journal.
 */
class JournalCrashTest {

  @TempDir Path dir;

  private static final int CHUNK = 4096;

  @Test
  void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
    Path journal = dir.resolve("journal");
    Map<Long, Long> acked = new HashMap<>(); // message number -> index
    long nextNumber = 0;
    for (int round = 0; round < 3; round++) {
      Process child = startChild(journal, nextNumber);
      int seen = 0;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("ack ")) {
            String[] f = line.split(" ");
            acked.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
            if (++seen == 300 + round * 100) {
              child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
              break;
            }
          }
        }
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      assertTrue(seen >= 300, "child acknowledged only " + seen + " records");
      nextNumber += 100_000;

      long t0 = System.nanoTime();
      try (ChronicleJournal j = ChronicleJournal.open(journal,
          JournalOptions.defaults().withChunkSize(CHUNK))) {
        long reopenMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(reopenMillis < 20_000, "reopen took " + reopenMillis + " ms");
        Map<Long, JournalEntry> byIndex = new HashMap<>();
        List<JournalEntry> corrupt = new ArrayList<>();
        for (JournalEntry e : ChronicleJournalTest.readAll(j)) {
          if (e.isCorrupt()) {
            corrupt.add(e);
          } else {
            byIndex.put(e.index(), e);
          }
        }
        for (Map.Entry<Long, Long> a : acked.entrySet()) {
          JournalEntry e = byIndex.get(a.getValue());
          assertNotNull(e, "acknowledged message " + a.getKey() + " at index " + a.getValue()
              + " is missing after kill -9");
          long n = a.getKey();
          int size = n % 5 == 0 ? CHUNK * 3 + 17 : 200;
          assertEquals(Records.accepted(n, size), e.record());
        }
        // a torn record can only be the last thing the killed process wrote
        assertTrue(corrupt.size() <= round + 1, "corrupt entries: " + corrupt);
        Accepted after = Records.accepted(nextNumber - 1, 50);
        long idx = j.append(after).toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<JournalEntry> all = ChronicleJournalTest.readAll(j);
        assertEquals(JournalEntry.of(idx, after), all.get(all.size() - 1));
      }
    }
  }

  private static Process startChild(Path journal, long first) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("--enable-")
          || a.startsWith("--sun-misc")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashWriter.class.getName());
    cmd.add(journal.toString());
    cmd.add(Integer.toString(CHUNK));
    cmd.add(Long.toString(first));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
