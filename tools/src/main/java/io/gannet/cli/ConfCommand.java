package io.gannet.cli;

import picocli.CommandLine.Command;

/** {@code gannet conf}: print the effective parameters, as postconf(1). */
@Command(name = "conf", description = "Print effective configuration parameters, as postconf.")
final class ConfCommand implements Runnable {
  @Override
  public void run() {
    throw new UserException(1, "conf: not implemented yet");
  }
}
