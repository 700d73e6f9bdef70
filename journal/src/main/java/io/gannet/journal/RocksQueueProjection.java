package io.gannet.journal;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Moved;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QueueProjection} in RocksDB, under {@code $queue_directory/projection}. Where
 * Postfix's qmgr scans one file per message in the incoming, deferred and hold directories, Gannet
 * reads this index of the journal; it trusts the journal, and checks its own bytes (a value that
 * does not decode is an error that names {@code gannet super --rebuild}). Column families (keys in
 * {@link ProjectionKeys}):
 *
 * <ul>
 *   <li>{@code messages}: queue id to {@link MessageState} ({@link MessageStateCodec});
 *   <li>{@code incoming}: content index + queue id, for messages never deferred, not held, with
 *       pending recipients;
 *   <li>{@code deferred}: next attempt + queue id, for the other messages not held with pending
 *       recipients; scanned with an upper bound so a future backlog is never read, and from a
 *       floor ({@link IndexFloor}, as for incoming) so the tombstones of keys taken out are not
 *       read either;
 *   <li>{@code meta}: the format version, the checkpoint (the journal index of the last entry
 *       applied) and the number of live messages.
 * </ul>
 *
 * <p><b>Writes.</b> Each {@link #apply} is one {@code WriteBatch}: the states, the index keys that
 * move and the checkpoint change together, so the projection always equals the fold of the
 * journal up to its checkpoint. Written without sync (the WAL is on): a crash loses at most the
 * latest batches, and {@link #catchUp} replays them from the journal.
 *
 * <p><b>Recovery.</b> {@link #open} creates a missing projection. One that cannot be opened, or
 * whose format version is unknown, is renamed {@code <dir>.corrupt-<millis>} (kept for inspection,
 * never deleted) and a fresh one is created with checkpoint -1, so that the caller's {@link
 * #catchUp} rebuilds it from the journal; one WARN line says so. A projection whose lock another
 * process holds is not touched: that fails with {@link ProjectionException}. {@link #rebuild}
 * ({@code gannet super --rebuild}) deletes the projection and replays the whole journal.
 *
 * <p>One thread writes ({@link #apply}, {@link #catchUp}); reads may come from other threads but
 * may then see an index key whose message a concurrent batch just changed (it is re-read and
 * skipped if gone). A read-only instance ({@link #openReadOnly}) sees the projection as it was when
 * opened and refuses writes.
 */
public final class RocksQueueProjection implements QueueProjection {

  static {
    RocksDB.loadLibrary();
  }

  private static final Logger log = LoggerFactory.getLogger("gannet/projection");

  /** Version of the layout as a whole (column families, keys, value codec). */
  static final int FORMAT = 1;

  static final String CF_MESSAGES = "messages";
  static final String CF_INCOMING = "incoming";
  static final String CF_DEFERRED = "deferred";
  static final String CF_META = "meta";
  private static final List<String> FAMILIES =
      List.of(CF_MESSAGES, CF_INCOMING, CF_DEFERRED, CF_META);

  private static final byte[] KEY_FORMAT = bytes("format");
  private static final byte[] KEY_CHECKPOINT = bytes("checkpoint");
  private static final byte[] KEY_COUNT = bytes("count");
  private static final byte[] EMPTY = new byte[0];

  /**
   * The write-ahead log is kept below this by flushing the column families that hold its oldest
   * file. Every batch writes {@code meta}, whose tiny memtable would otherwise never fill and keep
   * every WAL file alive (RocksDB's default limit is 4 times all write buffers, gigabytes), and a
   * read-only open (showq) replays the whole WAL each time.
   */
  static final long MAX_TOTAL_WAL_BYTES = 64L << 20;

  /** catchUp applies at most this many entries, or this many content bytes, per batch. */
  static final int CATCH_UP_ENTRIES = 1000;

  static final long CATCH_UP_BYTES = 4L << 20;

  private final Path dir;
  private final boolean readOnly;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions messageOptions;
  private final ColumnFamilyOptions indexOptions;
  private final BloomFilter bloom;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle incoming;
  private final ColumnFamilyHandle deferred;
  private final ColumnFamilyHandle meta;
  private final WriteOptions writeOptions;
  private final MessageStateCodec codec = new MessageStateCodec();
  private final IndexFloor incomingFloor = new IndexFloor();
  private final IndexFloor deferredFloor = new IndexFloor();
  private volatile long checkpoint;
  private volatile long size;
  private boolean closed;

  /** Thrown inside opening when the directory holds no usable projection. */
  private static final class Unusable extends Exception {
    Unusable(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  private RocksQueueProjection(Path dir, boolean readOnly, boolean fresh) throws Unusable {
    this.dir = dir;
    this.readOnly = readOnly;
    this.dbOptions = new DBOptions()
        .setCreateIfMissing(fresh)
        .setCreateMissingColumnFamilies(fresh)
        .setKeepLogFileNum(3)
        .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES);
    this.bloom = new BloomFilter(10);
    // messages: point lookups, one a miss per Accepted (the duplicate check): Bloom filters
    this.messageOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom));
    this.indexOptions = new ColumnFamilyOptions();
    this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    RocksDB rocks = null;
    try {
      for (String name : familiesToOpen(fresh)) {
        descriptors.add(new ColumnFamilyDescriptor(bytes(name),
            name.equals(CF_MESSAGES) ? messageOptions : indexOptions));
      }
      rocks = readOnly
          ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, opened)
          : RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
    } catch (RocksDBException e) {
      closeNative();
      if (isLockHeld(e)) {
        throw new ProjectionException("projection " + dir + " is in use (its LOCK is held by "
            + "another process or instance): " + e.getMessage(), e);
      }
      throw new Unusable("cannot open: " + e.getMessage(), e);
    } catch (Unusable e) {
      closeNative();
      throw e;
    }
    this.db = rocks;
    this.handles = opened;
    this.messages = handle(descriptors, CF_MESSAGES);
    this.incoming = handle(descriptors, CF_INCOMING);
    this.deferred = handle(descriptors, CF_DEFERRED);
    this.meta = handle(descriptors, CF_META);
    try {
      if (fresh) {
        try (WriteBatch b = new WriteBatch()) {
          b.put(meta, KEY_FORMAT, longBytes(FORMAT));
          b.put(meta, KEY_CHECKPOINT, longBytes(-1));
          b.put(meta, KEY_COUNT, longBytes(0));
          db.write(writeOptions, b);
        }
      }
      long format = readMeta(KEY_FORMAT, "format version");
      if (format != FORMAT) {
        throw new Unusable("unknown format version " + format + " (this Gannet knows "
            + FORMAT + ")", null);
      }
      this.checkpoint = readMeta(KEY_CHECKPOINT, "checkpoint");
      this.size = readMeta(KEY_COUNT, "message count");
      checkFirstMessage();
    } catch (Unusable e) {
      close();
      throw e;
    } catch (RocksDBException | RuntimeException e) {
      close();
      throw new Unusable("cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the projection in {@code dir} for reading and writing, creating it if missing, and
   * setting aside (with one WARN log line) one that cannot be used; the caller then brings it up
   * to date with {@link #catchUp}. Throws {@link ProjectionException} only when the directory
   * cannot be created or set aside, or another process holds it.
   */
  public static RocksQueueProjection open(Path dir) {
    boolean fresh = isAbsentOrEmpty(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ProjectionException("cannot create projection directory " + dir + ": " + e, e);
    }
    try {
      return new RocksQueueProjection(dir, false, fresh);
    } catch (Unusable e) {
      Path aside = moveAside(dir);
      log.warn("projection {} is unusable ({}); moved aside to {}; rebuilding it from "
          + "the journal", dir, e.getMessage(), aside);
      try {
        Files.createDirectories(dir);
        return new RocksQueueProjection(dir, false, true);
      } catch (IOException | Unusable again) {
        throw new ProjectionException("cannot create a new projection in " + dir + ": "
            + again.getMessage(), again);
      }
    }
  }

  /**
   * Opens an existing projection read-only (showq, tools): it sees the state as of opening, and
   * {@link #apply}/{@link #catchUp} throw. Throws {@link ProjectionException} when there is no
   * usable projection in {@code dir} (nothing is changed).
   */
  public static RocksQueueProjection openReadOnly(Path dir) {
    if (isAbsentOrEmpty(dir)) {
      throw new ProjectionException("no projection at " + dir);
    }
    try {
      return new RocksQueueProjection(dir, true, false);
    } catch (Unusable e) {
      throw new ProjectionException("projection " + dir + " is unusable (" + e.getMessage()
          + "); rebuild it with gannet super --rebuild", e);
    }
  }

  /**
   * Deletes the projection in {@code dir} and rebuilds it by replaying {@code journal} from its
   * start ({@code gannet super --rebuild}). Refuses (with {@link ProjectionException}) when another
   * process holds the projection open.
   */
  public static void rebuild(Path dir, Journal journal) {
    if (Files.exists(dir)) {
      refuseIfInUse(dir);
      deleteRecursively(dir);
    }
    try (RocksQueueProjection p = open(dir); JournalReader r = journal.reader()) {
      long n = p.catchUp(r);
      log.info("projection {} rebuilt from the journal: {} records, {} live messages, "
          + "checkpoint {}", dir, n, p.size(), p.checkpoint());
    }
  }

  public Path directory() {
    return dir;
  }

  /** The database, for tests that look at RocksDB's own counters. */
  RocksDB rocks() {
    return db;
  }

  // ------------------------------------------------------------------------------------------
  // Writing
  // ------------------------------------------------------------------------------------------

  /** A message touched by the batch being built: its stored state and its state so far. */
  private static final class Slot {
    final MessageState stored;
    MessageState now;

    Slot(MessageState stored) {
      this.stored = stored;
      this.now = stored;
    }
  }

  @Override
  public long checkpoint() {
    return checkpoint;
  }

  @Override
  public void apply(List<JournalEntry> entries) {
    checkWritable();
    long last = checkpoint;
    List<JournalEntry> todo = new ArrayList<>(entries.size());
    Map<QueueId, Slot> touched = new LinkedHashMap<>();
    for (JournalEntry e : entries) {
      if (e.index() <= last) {
        continue; // already applied (replay), or out of order
      }
      last = e.index();
      if (!e.isCorrupt()) {
        todo.add(e);
        for (QueueId id : ProjectionFold.subjects(e)) {
          touched.put(id, null);
        }
      }
    }
    if (last == checkpoint) {
      return;
    }
    load(touched);
    for (JournalEntry e : todo) {
      for (QueueId id : ProjectionFold.subjects(e)) {
        Slot slot = touched.get(id);
        slot.now = ProjectionFold.apply(id, slot.now, e);
      }
    }
    long count = size;
    byte[] lowestIncoming = null;
    byte[] lowestDeferred = null;
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<QueueId, Slot> t : touched.entrySet()) {
        Slot s = t.getValue();
        if (s.now == s.stored) {
          continue;
        }
        lowestIncoming = lowest(lowestIncoming, moveKey(batch, incoming,
            ProjectionKeys.incoming(s.stored), ProjectionKeys.incoming(s.now)));
        lowestDeferred = lowest(lowestDeferred, moveKey(batch, deferred,
            ProjectionKeys.deferred(s.stored), ProjectionKeys.deferred(s.now)));
        byte[] key = ProjectionKeys.message(t.getKey());
        if (s.now == null) {
          batch.delete(messages, key);
          count--;
        } else {
          batch.put(messages, key, codec.encode(s.now));
          if (s.stored == null) {
            count++;
          }
        }
      }
      batch.put(meta, KEY_CHECKPOINT, longBytes(last));
      batch.put(meta, KEY_COUNT, longBytes(count));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new ProjectionException("projection " + dir + ": write failed: " + e.getMessage(), e);
    }
    checkpoint = last;
    size = count;
    if (lowestIncoming != null) {
      incomingFloor.lower(lowestIncoming);
    }
    if (lowestDeferred != null) {
      deferredFloor.lower(lowestDeferred);
    }
  }

  /** Reads the stored states of the batch's messages, in one multi-get. */
  private void load(Map<QueueId, Slot> touched) {
    if (touched.isEmpty()) {
      return;
    }
    List<QueueId> ids = new ArrayList<>(touched.keySet());
    List<byte[]> keys = new ArrayList<>(ids.size());
    for (QueueId id : ids) {
      keys.add(ProjectionKeys.message(id));
    }
    List<byte[]> values;
    try {
      values = db.multiGetAsList(Collections.nCopies(keys.size(), messages), keys);
    } catch (RocksDBException e) {
      throw new ProjectionException("projection " + dir + ": read failed: " + e.getMessage(), e);
    }
    for (int i = 0; i < ids.size(); i++) {
      byte[] v = values.get(i);
      touched.put(ids.get(i), new Slot(v == null ? null : decode(ids.get(i), v)));
    }
  }

  /**
   * Syncs the write-ahead log: every batch applied so far (each one moves the checkpoint with
   * the state it covers) is then on stable storage, and a reopen after a power loss starts at
   * least at the checkpoint returned. Called from the writing thread.
   */
  @Override
  public long flushDurable() {
    checkWritable();
    long durable = checkpoint;
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw new ProjectionException("projection " + dir + ": sync of the write-ahead log failed: "
          + e.getMessage(), e);
    }
    return durable;
  }

  /** Moves an index key; returns the key inserted, if any. */
  private static byte[] moveKey(WriteBatch batch, ColumnFamilyHandle cf, byte[] from, byte[] to)
      throws RocksDBException {
    if (Arrays.equals(from, to)) {
      return null;
    }
    if (from != null) {
      batch.delete(cf, from);
    }
    if (to != null) {
      batch.put(cf, to, EMPTY);
    }
    return to;
  }

  private static byte[] lowest(byte[] a, byte[] b) {
    if (a == null) {
      return b;
    }
    return b == null || IndexFloor.compare(a, b) <= 0 ? a : b;
  }

  @Override
  public long catchUp(JournalReader reader) {
    checkWritable();
    long from = checkpoint;
    boolean seeked = from >= 0 && reader.seek(from);
    if (!seeked) {
      if (from >= 0) {
        log.warn("projection checkpoint {} is not in the journal (cycle deleted?); "
            + "reading the journal from its start", from);
      }
      reader.toStart();
    }
    long applied = 0;
    long lastSeen = -1;
    List<JournalEntry> batch = new ArrayList<>();
    long bytes = 0;
    for (JournalEntry e; (e = reader.next()) != null; ) {
      lastSeen = Math.max(lastSeen, e.index());
      if (e.index() <= from) {
        continue;
      }
      batch.add(e);
      bytes += weight(e);
      if (batch.size() >= CATCH_UP_ENTRIES || bytes >= CATCH_UP_BYTES) {
        apply(batch);
        applied += batch.size();
        batch.clear();
        bytes = 0;
      }
    }
    apply(batch);
    applied += batch.size();
    if (!seeked && from >= 0 && lastSeen < from) {
      log.warn("projection checkpoint {} is beyond the journal's last index {}: the "
          + "projection reflects records the journal does not have; rebuild it with gannet "
          + "super --rebuild", from, lastSeen);
    }
    return applied;
  }

  private static long weight(JournalEntry e) {
    JournalRecord r = e.record();
    if (r instanceof Accepted a) {
      return a.size();
    }
    if (r instanceof Moved m) {
      return m.message().size();
    }
    return 64;
  }

  // ------------------------------------------------------------------------------------------
  // Reading
  // ------------------------------------------------------------------------------------------

  @Override
  public MessageState get(QueueId queueId) {
    byte[] value;
    try {
      value = db.get(messages, ProjectionKeys.message(queueId));
    } catch (RocksDBException e) {
      throw new ProjectionException("projection " + dir + ": read of " + queueId + " failed: "
          + e.getMessage(), e);
    }
    return value == null ? null : decode(queueId, value);
  }

  @Override
  public List<MessageState> messages(QueueId after, int limit) {
    List<MessageState> out = new ArrayList<>();
    if (limit <= 0) {
      return out;
    }
    try (RocksIterator it = db.newIterator(messages)) {
      if (after == null) {
        it.seekToFirst();
      } else {
        byte[] k = ProjectionKeys.message(after);
        it.seek(k);
        if (it.isValid() && Arrays.equals(it.key(), k)) {
          it.next();
        }
      }
      for (; it.isValid() && out.size() < limit; it.next()) {
        out.add(decode(keyQueueId(it.key(), 0), it.value()));
      }
      checkIterator(it);
    }
    return out;
  }

  @Override
  public List<MessageState> incoming(long afterIndex, int limit, Predicate<QueueId> accept) {
    List<MessageState> out = new ArrayList<>();
    if (limit <= 0 || afterIndex == Long.MAX_VALUE) {
      return out;
    }
    IndexFloor.Start floor = incomingFloor.start();
    byte[] from = afterIndex < 0 ? floor.key() : ProjectionKeys.prefix(afterIndex + 1);
    boolean fromFloor = IndexFloor.compare(from, floor.key()) <= 0;
    try (RocksIterator it = db.newIterator(incoming)) {
      it.seek(fromFloor ? floor.key() : from);
      byte[] first = collect(it, limit, accept, out);
      if (fromFloor) {
        incomingFloor.raise(floor, first != null ? first : IndexFloor.END);
      }
    }
    return out;
  }

  @Override
  public List<MessageState> dueDeferred(long dueBy, int limit, Predicate<QueueId> accept) {
    List<MessageState> out = new ArrayList<>();
    if (limit <= 0 || dueBy < 0) {
      return out;
    }
    try (Slice upper = dueBy == Long.MAX_VALUE ? null : new Slice(ProjectionKeys.prefix(dueBy + 1));
        ReadOptions ro = new ReadOptions()) {
      if (upper != null) {
        ro.setIterateUpperBound(upper);
      }
      IndexFloor.Start floor = deferredFloor.start();
      try (RocksIterator it = db.newIterator(deferred, ro)) {
        it.seek(floor.key());
        byte[] first = collect(it, limit, accept, out);
        deferredFloor.raise(floor, first != null ? first
            : upper != null ? ProjectionKeys.prefix(dueBy + 1) : IndexFloor.END);
      }
    }
    return out;
  }

  /**
   * Walks index keys from the iterator's position, keeping accepted live messages; returns the
   * first key (the lowest live one from there), or {@code null} if there was none.
   */
  private byte[] collect(RocksIterator it, int limit, Predicate<QueueId> accept,
      List<MessageState> out) {
    byte[] first = null;
    for (; it.isValid() && out.size() < limit; it.next()) {
      byte[] key = it.key();
      if (first == null) {
        first = key;
      }
      QueueId id = keyQueueId(key, ProjectionKeys.PREFIX);
      if (!accept.test(id)) {
        continue;
      }
      MessageState s = get(id);
      if (s != null) {
        out.add(s);
      }
    }
    checkIterator(it);
    return first;
  }

  @Override
  public long size() {
    return size;
  }

  // ------------------------------------------------------------------------------------------
  // Opening, closing and their helpers
  // ------------------------------------------------------------------------------------------

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!readOnly && db != null && handles != null) {
      // a stopped daemon leaves no WAL to replay: the next open, and every read-only one, is quick
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush, handles);
      } catch (RocksDBException e) {
        log.warn("warning: projection {}: flush at close failed ({}); the next open replays the "
            + "write-ahead log", dir, e.getMessage());
      }
    }
    if (handles != null) {
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
    }
    if (db != null) {
      db.close();
    }
    closeNative();
  }

  private void closeNative() {
    writeOptions.close();
    messageOptions.close();
    indexOptions.close();
    bloom.close();
    dbOptions.close();
  }

  private List<String> familiesToOpen(boolean fresh) throws RocksDBException, Unusable {
    List<String> names = new ArrayList<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
    if (fresh) {
      names.addAll(FAMILIES);
      return names;
    }
    List<String> present = new ArrayList<>();
    try (Options o = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) {
        present.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    for (String f : FAMILIES) {
      if (!present.contains(f)) {
        throw new Unusable("column family " + f + " is missing", null);
      }
    }
    for (String p : present) {
      if (!names.contains(p)) {
        names.add(p); // RocksDB must open every family it has
      }
    }
    return names;
  }

  private ColumnFamilyHandle handle(List<ColumnFamilyDescriptor> descriptors, String name) {
    byte[] n = bytes(name);
    for (int i = 0; i < descriptors.size(); i++) {
      if (Arrays.equals(descriptors.get(i).getName(), n)) {
        return handles.get(i);
      }
    }
    throw new IllegalStateException("no column family " + name);
  }

  private long readMeta(byte[] key, String what) throws RocksDBException, Unusable {
    byte[] v = db.get(meta, key);
    if (v == null || v.length != 8) {
      throw new Unusable(v == null ? "no " + what : "bad " + what, null);
    }
    return ProjectionKeys.getLong(v, 0);
  }

  /** A cheap sanity check of the value codec against what is stored. */
  private void checkFirstMessage() throws Unusable {
    try (RocksIterator it = db.newIterator(messages)) {
      it.seekToFirst();
      if (it.isValid()) {
        try {
          MessageStateCodec.decode(ProjectionKeys.queueIdAt(it.key(), 0), it.value());
        } catch (IllegalArgumentException e) {
          throw new Unusable("first message state does not decode: " + e.getMessage(), e);
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new Unusable("cannot read messages: " + e.getMessage(), e);
    }
  }

  private MessageState decode(QueueId id, byte[] value) {
    try {
      return MessageStateCodec.decode(id, value);
    } catch (IllegalArgumentException e) {
      throw new ProjectionException("projection " + dir + ": state of " + id + " is corrupt ("
          + e.getMessage() + "); rebuild it with gannet super --rebuild", e);
    }
  }

  private QueueId keyQueueId(byte[] key, int offset) {
    try {
      return ProjectionKeys.queueIdAt(key, offset);
    } catch (IllegalArgumentException e) {
      throw new ProjectionException("projection " + dir + ": bad key (" + e.getMessage()
          + "); rebuild it with gannet super --rebuild", e);
    }
  }

  private void checkIterator(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new ProjectionException("projection " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  private void checkWritable() {
    if (readOnly) {
      throw new ProjectionException("projection " + dir + " is open read-only");
    }
  }

  private static boolean isLockHeld(RocksDBException e) {
    Status s = e.getStatus();
    String msg = String.valueOf(e.getMessage());
    return (s == null || s.getCode() == Status.Code.IOError)
        && (msg.contains("/LOCK") || msg.contains("lock hold"));
  }

  /** Refuses when another RocksDB (in this or another process) holds {@code dir}. */
  private static void refuseIfInUse(Path dir) {
    try (Options o = new Options(); RocksDB probe = RocksDB.open(o, dir.toString())) {
      // opened: nobody else holds it (a multi-family db fails to open this way, not on the lock)
    } catch (RocksDBException e) {
      if (isLockHeld(e)) {
        throw new ProjectionException("projection " + dir + " is in use (its LOCK is held): stop "
            + "Gannet before rebuilding it", e);
      }
    }
  }

  private static boolean isAbsentOrEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false; // not listable: let the open fail and set it aside
    }
  }

  private static Path moveAside(Path dir) {
    String base = dir.getFileName() + ".corrupt-" + System.currentTimeMillis();
    Path aside = dir.resolveSibling(base);
    for (int i = 1; Files.exists(aside); i++) {
      aside = dir.resolveSibling(base + "-" + i);
    }
    try {
      Files.move(dir, aside);
      return aside;
    } catch (IOException e) {
      throw new ProjectionException("projection " + dir + " is unusable and cannot be moved aside "
          + "to " + aside + ": " + e, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new ProjectionException("cannot delete projection " + dir + ": " + e, e);
    }
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    ProjectionKeys.putLong(b, 0, v);
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
