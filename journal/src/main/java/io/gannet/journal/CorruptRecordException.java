package io.gannet.journal;

/** Bytes in the journal are not a valid record; names the index and what is wrong. */
public final class CorruptRecordException extends Exception {
  private final long index;

  public CorruptRecordException(long index, String reason) {
    super("corrupt journal record at index " + index + " (0x" + Long.toHexString(index) + "): "
        + reason);
    this.index = index;
  }

  public long index() {
    return index;
  }
}
