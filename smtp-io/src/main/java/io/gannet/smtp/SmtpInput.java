package io.gannet.smtp;

/**
 * What {@link SmtpServerDecoder} passes up the pipeline: one command line, one line it refused, the
 * end of a DATA body, or the end of a BDAT chunk. The content itself goes into the {@link
 * ContentBuffer} the session handed to the decoder, never into these events.
 */
public sealed interface SmtpInput {

  /**
   * One command line, CRLF removed. {@code argument} is the text after the verb and its separating
   * spaces (trailing spaces removed, {@code ""} when none); {@code verbText} is the verb as sent,
   * kept only for {@link SmtpVerb#UNKNOWN} (else {@code null}).
   */
  record Command(SmtpVerb verb, String argument, String verbText) implements SmtpInput {}

  /** A command line that could not be taken as a command. */
  record LineError(Problem problem) implements SmtpInput {}

  /** Why a command line was refused. */
  enum Problem {
    /** Longer than {@code line_length_limit}; the rest of the line was discarded. */
    LINE_TOO_LONG,
    /** Ended by LF without CR (SMTP smuggling defence, {@code smtpd_forbid_bare_newline}). */
    BARE_LF,
    /** Held a CR not followed by LF. */
    BARE_CR,
    /** Held bytes that are not UTF-8. */
    BAD_UTF8
  }

  /**
   * The {@code CRLF.CRLF} that ends a DATA body was read. {@code bareLf}/{@code bareCr}: the body
   * held a bare LF or bare CR somewhere (the message must be refused); the size and overflow are in
   * the {@link ContentBuffer}.
   */
  record DataEnd(boolean bareLf, boolean bareCr) implements SmtpInput {}

  /** The last byte of a BDAT chunk was read. */
  record ChunkEnd(long size) implements SmtpInput {}
}
