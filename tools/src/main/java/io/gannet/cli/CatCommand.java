package io.gannet.cli;

import picocli.CommandLine.Command;

/** {@code gannet cat}: print journal records, as postcat(1). */
@Command(name = "cat", description = "Print journal records, as postcat.")
final class CatCommand implements Runnable {
  @Override
  public void run() {
    throw new UserException(1, "cat: not implemented yet");
  }
}
