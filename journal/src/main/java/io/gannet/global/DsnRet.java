package io.gannet.global;

/** The DSN {@code RET=} parameter of MAIL FROM: what a notice returns of the original message. */
public enum DsnRet {
  /** No RET parameter: Postfix returns the full message in bounces. */
  DEFAULT,
  FULL,
  HDRS
}
