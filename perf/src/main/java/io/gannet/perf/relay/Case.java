package io.gannet.perf.relay;

/**
 * One cell of the matrix: message size, concurrent client sessions, how many messages to
 * measure and how many to send first as warm-up.
 */
record Case(int size, int sessions, int messages, int warmup) {
  /** "1 KiB" or "10 KiB" (or bytes when not a whole KiB). */
  String sizeLabel() {
    return size % 1024 == 0 ? (size / 1024) + " KiB" : size + " B";
  }
}
