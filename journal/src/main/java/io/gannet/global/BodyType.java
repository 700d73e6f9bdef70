package io.gannet.global;

/** The {@code BODY=} parameter of MAIL FROM (RFC 6152, RFC 3030). */
public enum BodyType {
  /** No BODY parameter given. */
  UNSPECIFIED,
  SEVEN_BIT,
  EIGHT_BIT_MIME,
  BINARY_MIME
}
