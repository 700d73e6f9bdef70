package io.gannet.smtp;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;

/**
 * A parsed {@code MAIL FROM:} command: the reverse path ({@code ""} for the null sender) and its
 * ESMTP parameters. {@code size} is {@code -1} when no {@code SIZE=} was given; {@code envid} is
 * the decoded {@code ENVID=} or {@code null}.
 */
public record MailFrom(
    String address, long size, BodyType body, DsnRet ret, String envid, boolean smtputf8) {}
