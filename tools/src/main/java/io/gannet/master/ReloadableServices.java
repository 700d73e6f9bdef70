package io.gannet.master;

import io.gannet.cleanup.Cleanup;
import io.gannet.cleanup.CleanupService;
import io.gannet.global.Config;
import io.gannet.rewrite.AddressClass;
import io.gannet.rewrite.Resolution;
import io.gannet.rewrite.TrivialRewrite;
import io.gannet.rewrite.TrivialRewriteService;
import java.nio.file.Path;
import java.time.Clock;

/**
 * trivial-rewrite and cleanup as the running daemon uses them: {@code gannet reload} builds new
 * ones from the re-read configuration (main.cf and the lookup tables it names: canonical and
 * virtual alias maps, transport_maps, header and body checks, relayhost, mydestination...) and
 * swaps them in. Connections stay open; a message already in cleanup finishes with the old one.
 * smtpd's per-listener settings and qmgr's limits are read at start only.
 */
final class ReloadableServices {
  private final Path configDirectory;
  private final Clock clock;
  private volatile TrivialRewriteService currentRewrite;
  private volatile CleanupService currentCleanup;

  ReloadableServices(Config config, Path configDirectory, Clock clock) {
    this.configDirectory = configDirectory;
    this.clock = clock;
    this.currentRewrite = new TrivialRewriteService(config, configDirectory);
    this.currentCleanup = new CleanupService(config, currentRewrite, configDirectory, clock);
  }

  /** Builds both from {@code config} first, then swaps: a bad table leaves the old ones. */
  void reload(Config config) {
    TrivialRewriteService r = new TrivialRewriteService(config, configDirectory);
    CleanupService c = new CleanupService(config, r, configDirectory, clock);
    currentRewrite = r;
    currentCleanup = c;
  }

  private final TrivialRewrite rewriteView = new TrivialRewrite() {
    @Override
    public String canonicalize(String address) {
      return currentRewrite.canonicalize(address);
    }

    @Override
    public AddressClass classify(String address) {
      return currentRewrite.classify(address);
    }

    @Override
    public Resolution resolve(String address) {
      return currentRewrite.resolve(address);
    }
  };

  private final Cleanup cleanupView = input -> currentCleanup.process(input);

  /** trivial-rewrite: always the current one. */
  TrivialRewrite rewrite() {
    return rewriteView;
  }

  /** cleanup: always the current one. */
  Cleanup cleanup() {
    return cleanupView;
  }
}
